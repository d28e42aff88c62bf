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

/**
 * The endpoints of one model, and the choice among them: least outstanding requests first, among the
 * endpoints that are healthy and whose circuit is closed. When every usable endpoint is at its
 * `maxConcurrent`, callers wait in line for a slot; when none is usable they get 503 at once.
 *
 * @example
 * const lease = await pool.acquire(signal);
 * try { await backend.run(lease.endpoint.config, job, signal); } finally { lease.release(); }
 */
export class EndpointPool {
  private waiters: Array<() => void> = [];
  private rotation = 0;

  constructor(readonly endpoints: EndpointState[]) {}

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
      const chosen = this.leastOutstanding(preferred.filter((e) => e.hasSlot));
      if (chosen?.breaker.tryAcquire()) return this.lease(chosen);
      await this.waitForChange(signal);
    }
  }

  private leastOutstanding(candidates: EndpointState[]): EndpointState | undefined {
    if (candidates.length === 0) return undefined;
    // Ties rotate, so idle endpoints share the load instead of the first one taking every call.
    const start = this.rotation++ % candidates.length;
    let best = candidates[start];
    for (let i = 1; i < candidates.length; i++) {
      const candidate = candidates[(start + i) % candidates.length];
      if (candidate.outstanding < best.outstanding) best = candidate;
    }
    return best;
  }

  private lease(endpoint: EndpointState): EndpointLease {
    endpoint.outstanding += 1;
    let released = false;
    return {
      endpoint,
      release: () => {
        if (released) return;
        released = true;
        endpoint.outstanding -= 1;
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

  private waitForChange(signal: AbortSignal): Promise<void> {
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
      // A circuit that half-opens changes nothing that would call notify(), so waiters also look again
      // every second.
      const timer = setTimeout(wake, 1_000);
      this.waiters.push(wake);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
