import type { RateLimitDecision } from '../accounts/rate-limiter.js';
import type { BudgetState } from './error-budget.js';
import type { ModelEntry } from '../engines/model-entry.js';

/**
 * What the request path needs from state that several replicas must share. Each has an in-memory
 * implementation (one process: the embedded default) and a Redis one (replicas); `createCoordination`
 * picks by config. Implementations throw ApiErrors the client may see (429, 503), never raw errors.
 */

/** Per key and route request limits (a token bucket refilled continuously at `requestsPerMinute`). */
export interface RateLimiter {
  take(bucketKey: string, requestsPerMinute: number): RateLimitDecision | Promise<RateLimitDecision>;
}

/**
 * Runs one task at a time per name, across every process sharing the lock. A holder that dies loses the
 * lock after a lease, so waiters are never stuck behind a dead process.
 */
export interface IdempotencyLock {
  runExclusive<T>(name: string, task: () => Promise<T>): Promise<T>;
}

/**
 * Admission to one model's engine: at most `maxConcurrent` runs at once (across replicas for the shared
 * one), then a bounded queue, fair between accounts (equal shares); past it, or after `queueTimeoutMs`,
 * a 503 `MODEL_AT_CAPACITY` with `Retry-After`. Resolves with a one-shot release to call when the run is
 * over; rejects with the signal's reason when the signal aborts while waiting.
 */
export interface CapacityLimiter {
  acquire(signal?: AbortSignal, account?: string): Promise<() => void>;
}

/**
 * Call slots of remote endpoints (GPU servers) shared by every replica, so an endpoint's `maxConcurrent`
 * holds for the whole deployment. Never waits: a release when a slot was free, else null.
 */
export interface EndpointSlots {
  tryTake(name: string, maxConcurrent: number): Promise<(() => void) | null>;
}

/** Failed requests per key and model (Venice's error budget, see error-budget.ts). */
export interface ErrorBudget {
  state(name: string): BudgetState | Promise<BudgetState>;
  recordFailure(name: string): BudgetState | Promise<BudgetState>;
}

export interface Coordination {
  /** `memory` or `redis`, for logs and /healthz. */
  readonly kind: string;
  limiter: RateLimiter;
  locks: IdempotencyLock;
  errorBudget: ErrorBudget;
  capacityFor(model: ModelEntry): CapacityLimiter;
  /** Absent in one process, where the endpoint pool's own count is the whole deployment's. */
  endpointSlots?: EndpointSlots;
  close(): Promise<void>;
}
