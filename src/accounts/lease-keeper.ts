import type { Store } from '../storage/store.js';

interface Logger {
  warn(object: object, message: string): void;
}

/**
 * The server's side of reservation leases: renews the leases of the reservations this process holds,
 * every third of the lease, and ends those of dead processes once their lease ran out (any replica may;
 * the store makes it safe when several do at once). Started with the server, stopped when it closes.
 * A database that is briefly unreachable only delays both; each failure is logged once per tick.
 */
export class LeaseKeeper {
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly leaseMs: number,
    private readonly log: Logger,
  ) {}

  start(): void {
    if (this.timer) return;
    void this.tick();
    this.timer = setInterval(() => void this.tick(), Math.max(100, Math.floor(this.leaseMs / 3)));
    this.timer.unref();
  }

  /** Renews, then sweeps expired reservations; never overlaps a previous tick that is still running. */
  tick(): Promise<void> {
    this.running ??= (async () => {
      try {
        await this.store.renewLeases();
        await this.store.expireReservations();
      } catch (error) {
        this.log.warn({ err: error }, 'reservation leases: renewal or expiry failed; retrying on the next tick');
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
