/**
 * A circuit breaker for one endpoint. After `failureThreshold` failures in a row it opens: the endpoint
 * gets no traffic for `openMs`, so requests go to healthy endpoints (or fail fast with 503) instead of
 * each waiting for a dead server's timeout. Then one trial request is let through (half-open): success
 * closes the circuit, failure opens it again.
 *
 * @example
 * const breaker = new CircuitBreaker({ failureThreshold: 5, openMs: 30_000 });
 * if (breaker.tryAcquire()) {
 *   try { await call(); breaker.onSuccess(); } catch { breaker.onFailure(); }
 * }
 */
export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  failureThreshold: number;
  openMs: number;
  /** The clock, replaceable in tests. */
  now?: () => number;
}

export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;
  private current: CircuitState = 'closed';
  private readonly now: () => number;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  get state(): CircuitState {
    if (this.current === 'open' && this.now() - this.openedAt >= this.options.openMs) {
      this.current = 'half-open';
      this.trialInFlight = false;
    }
    return this.current;
  }

  /** Whether a call may be sent now, without taking the half-open trial slot. */
  canPass(): boolean {
    const state = this.state;
    return state === 'closed' || (state === 'half-open' && !this.trialInFlight);
  }

  /** Takes permission for one call; in half-open state only one call at a time gets it. */
  tryAcquire(): boolean {
    if (!this.canPass()) return false;
    if (this.current === 'half-open') this.trialInFlight = true;
    return true;
  }

  onSuccess(): void {
    this.failures = 0;
    this.trialInFlight = false;
    this.current = 'closed';
  }

  onFailure(): void {
    this.trialInFlight = false;
    this.failures += 1;
    if (this.current === 'half-open' || this.failures >= this.options.failureThreshold) {
      this.current = 'open';
      this.openedAt = this.now();
    }
  }

  /** A call that ended without saying anything about the endpoint (cancelled, refused content). */
  onNeutral(): void {
    this.trialInFlight = false;
  }
}
