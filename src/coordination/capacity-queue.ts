import { ApiError } from '../errors.js';

/**
 * Per-model admission: at most `maxConcurrent` engine runs at once, then a bounded first-in-first-out
 * queue of requests waiting for a slot, each for at most `queueTimeoutMs`. Past either bound the request
 * gets Venice's 503 "Model at capacity" with a `Retry-After`, before any work is done for it.
 */

export interface CapacityQueueOptions {
  /** Engine runs at the same time; at least 1. */
  maxConcurrent: number;
  /** Requests waiting for a slot; 0 refuses at once when every slot is busy. */
  maxQueue: number;
  /** How long a request may wait for a slot before it is refused. */
  queueTimeoutMs: number;
  /** Milliseconds clock used to estimate `Retry-After`; injectable for tests. */
  now?: () => number;
}

interface Waiter {
  resolve: (release: () => void) => void;
  reject: (reason: unknown) => void;
  timer: ReturnType<typeof setTimeout>;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

export const MODEL_AT_CAPACITY_MESSAGE = 'Model at capacity, please retry after a short delay';

/** Weight of the newest run in the moving average of how long a slot is held. */
const HOLD_SMOOTHING = 0.2;
const MAX_RETRY_AFTER_SECONDS = 60;

function checkInteger(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`Expected an integer of at least ${min} for ${name} but received ${value}`);
  }
}

/**
 * @example
 * const queue = new CapacityQueue({ maxConcurrent: 2, maxQueue: 16, queueTimeoutMs: 30_000 });
 * const release = await queue.acquire(request.signal); // may throw the 503 or the abort reason
 * try { return await engine.run(input, request.signal); } finally { release(); }
 */
export class CapacityQueue {
  private readonly maxConcurrent: number;
  private readonly maxQueue: number;
  private readonly queueTimeoutMs: number;
  private readonly now: () => number;
  /** A Set keeps insertion order (FIFO) and removes an aborted waiter from the middle in O(1). */
  private readonly waiters = new Set<Waiter>();
  private runningCount = 0;
  private averageHoldMs: number | undefined;

  constructor(options: CapacityQueueOptions) {
    checkInteger('maxConcurrent', options.maxConcurrent, 1);
    checkInteger('maxQueue', options.maxQueue, 0);
    checkInteger('queueTimeoutMs', options.queueTimeoutMs, 1);
    this.maxConcurrent = options.maxConcurrent;
    this.maxQueue = options.maxQueue;
    this.queueTimeoutMs = options.queueTimeoutMs;
    this.now = options.now ?? (() => performance.now());
  }

  /** Slots in use. */
  get running(): number {
    return this.runningCount;
  }

  /** Requests waiting for a slot. */
  get queued(): number {
    return this.waiters.size;
  }

  /**
   * Resolves with a release function once a slot is free. Rejects with ApiError('MODEL_AT_CAPACITY', ...,
   * { headers: { 'Retry-After': '<seconds>' } }) when the queue is full or the wait times out, and with
   * an AbortError (signal.reason) when the signal aborts while queued (the waiter is removed from the
   * queue). The caller must call the release function exactly once the work is over, in a `finally`;
   * calling it again does nothing.
   */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.runningCount < this.maxConcurrent && this.waiters.size === 0) {
      return Promise.resolve(this.grant());
    }
    if (this.waiters.size >= this.maxQueue) return Promise.reject(this.capacityError());

    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        timer: setTimeout(() => {
          this.remove(waiter);
          reject(this.capacityError());
        }, this.queueTimeoutMs),
        onAbort: () => {
          this.remove(waiter);
          reject(signal?.reason);
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiters.add(waiter);
    });
  }

  /** Takes a slot and returns its one-shot release. */
  private grant(): () => void {
    this.runningCount += 1;
    const grantedAt = this.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.runningCount -= 1;
      this.recordHold(this.now() - grantedAt);
      this.dispatch();
    };
  }

  /** Hands free slots to the longest-waiting requests; aborted and timed-out ones are already gone. */
  private dispatch(): void {
    while (this.runningCount < this.maxConcurrent && this.waiters.size > 0) {
      const next: Waiter = this.waiters.values().next().value!;
      this.remove(next);
      next.resolve(this.grant());
    }
  }

  private remove(waiter: Waiter): void {
    this.waiters.delete(waiter);
    clearTimeout(waiter.timer);
    waiter.signal?.removeEventListener('abort', waiter.onAbort);
  }

  private recordHold(ms: number): void {
    this.averageHoldMs = this.averageHoldMs === undefined ? ms : this.averageHoldMs + HOLD_SMOOTHING * (ms - this.averageHoldMs);
  }

  /**
   * When a slot is likely to be free for a new request: the requests ahead of it, spread over the slots,
   * times the average run. At least one second, at most a minute.
   */
  private retryAfterSeconds(): number {
    const rounds = Math.floor(this.waiters.size / this.maxConcurrent) + 1;
    const estimateMs = (this.averageHoldMs ?? 1000) * rounds;
    return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil(estimateMs / 1000)));
  }

  private capacityError(): ApiError {
    return new ApiError('MODEL_AT_CAPACITY', MODEL_AT_CAPACITY_MESSAGE, {
      headers: { 'Retry-After': String(this.retryAfterSeconds()) },
    });
  }
}
