import type { EndpointSlots } from '../../coordination/interfaces.js';
import { ApiError } from '../../errors.js';
import { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker.js';
import type { EndpointConfig } from './options.js';

export type EndpointHealth = 'unknown' | 'up' | 'down';

/** One endpoint of a model: its settings, calls in flight, last health check and circuit breaker. */
export class EndpointState {
  outstanding = 0;
  health: EndpointHealth = 'unknown';
  /** Why the last health check failed, for the operator's log and the model's offline reason. */
  healthProblem?: string;
  readonly breaker: CircuitBreaker;

  constructor(
    readonly config: EndpointConfig,
    /** The label used in metrics and logs (never the URL). */
    readonly label: string,
    breaker: CircuitBreakerOptions,
  ) {
    this.breaker = new CircuitBreaker(breaker);
  }

  /** Up or not yet checked, and the circuit lets calls through. */
  get usable(): boolean {
    return this.health !== 'down' && this.breaker.canPass();
  }

  get hasSlot(): boolean {
    return this.outstanding < this.config.maxConcurrent;
  }
}

/** A slot on one endpoint, held for the duration of one call; `release` must be called exactly once. */
export interface EndpointLease {
  endpoint: EndpointState;
  release(): void;
}

/** Slots shared with the other replicas, and the model's name that scopes its endpoints' labels there. */
export interface SharedSlots {
  slots: EndpointSlots;
  scope: string;
}

/** How often a caller looks again when another replica holds the endpoints' last slots (no local wake-up). */
const SHARED_POLL_MS = 50;
/** A circuit that half-opens changes nothing that would call notify(), so waiters also look again this often. */
const LOCAL_POLL_MS = 1_000;

/**
 * The endpoints of one model, and the choice among them: least outstanding requests first, among the
 * endpoints that are healthy and whose circuit is closed. When every usable endpoint is at its
 * `maxConcurrent`, callers wait in line for a slot; when none is usable they get 503 at once. With
 * `shared` slots (several replicas), an endpoint's `maxConcurrent` counts the calls of every replica.
 *
 * @example
 * const lease = await pool.acquire(signal);
 * try { await backend.run(lease.endpoint.config, job, signal); } finally { lease.release(); }
 */
export class EndpointPool {
  private waiters: Array<() => void> = [];
  private rotation = 0;

  constructor(
    readonly endpoints: EndpointState[],
    private readonly shared?: SharedSlots,
  ) {}

  /** Whether any endpoint can take a call now or soon (used for the model's online status). */
  get anyUsable(): boolean {
    return this.endpoints.some((e) => e.usable);
  }

  /**
   * Waits for a slot on the best endpoint. `avoid` is skipped when another endpoint is usable (a retry
   * goes elsewhere when it can).
   */
  async acquire(signal: AbortSignal, avoid?: EndpointState): Promise<EndpointLease> {
    for (;;) {
      if (signal.aborted) throw signal.reason;
      const usable = this.endpoints.filter((e) => e.usable);
      if (usable.length === 0) {
        throw new ApiError('MODEL_UNAVAILABLE', 'The model has no healthy backend right now, retry later');
      }
      const preferred = usable.length > 1 && avoid ? usable.filter((e) => e !== avoid) : usable;
      let heldElsewhere = false;
      for (const candidate of this.byOutstanding(preferred.filter((e) => e.hasSlot))) {
        const sharedRelease = await this.takeShared(candidate);
        if (!sharedRelease) {
          heldElsewhere = true;
          continue;
        }
        // Another caller of this process may have taken the last local slot while this one awaited Redis.
        if (candidate.hasSlot && candidate.breaker.tryAcquire()) return this.lease(candidate, sharedRelease);
        sharedRelease();
      }
      await this.waitForChange(signal, heldElsewhere ? SHARED_POLL_MS : LOCAL_POLL_MS);
    }
  }

  /** The deployment-wide slot of an endpoint: always granted in one process (the local count is all). */
  private async takeShared(endpoint: EndpointState): Promise<(() => void) | null> {
    if (!this.shared) return () => {};
    return this.shared.slots.tryTake(`${this.shared.scope}:${endpoint.label}`, endpoint.config.maxConcurrent);
  }

  /** Least outstanding first; ties rotate, so idle endpoints share the load instead of the first taking every call. */
  private byOutstanding(candidates: EndpointState[]): EndpointState[] {
    if (candidates.length === 0) return [];
    const start = this.rotation++ % candidates.length;
    const rotated = [...candidates.slice(start), ...candidates.slice(0, start)];
    return rotated.sort((a, b) => a.outstanding - b.outstanding);
  }

  private lease(endpoint: EndpointState, releaseShared: () => void): EndpointLease {
    endpoint.outstanding += 1;
    let released = false;
    return {
      endpoint,
      release: () => {
        if (released) return;
        released = true;
        endpoint.outstanding -= 1;
        releaseShared();
        this.notify();
      },
    };
  }

  /** Wakes the callers waiting for a slot; health and circuit changes call it too. */
  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private waitForChange(signal: AbortSignal, pollMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.waiters = this.waiters.filter((w) => w !== wake);
        clearTimeout(timer);
        reject(signal.reason);
      };
      const wake = () => {
        signal.removeEventListener('abort', onAbort);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(wake, pollMs);
      this.waiters.push(wake);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
