import { ApiError } from '../errors.js';
import { FairShares } from './fair-shares.js';

/**
 * Per-model admission: at most `maxConcurrent` engine runs at once, then a bounded queue of requests
 * waiting for a slot, each for at most `queueTimeoutMs`. Past either bound the request gets Venice's 503
 * "Model at capacity" with a `Retry-After`, before any work is done for it.
 *
 * The queue is fair between accounts (equal shares, see fair-shares.ts): first in, first out within one
 * account, and an account's flood never makes another account wait behind it. When the queue is full, a
 * request of an account with fewer waiters pushes out the newest waiter of the account with the most
 * (that one gets the 503), so a flood cannot lock others out by filling the queue either.
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
  account: string;
  /** Fair-queueing start tag; ties keep arrival order (the Set's order). */
  start: number;
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
 * const release = await queue.acquire(request.signal, accountOf(request)); // may throw the 503 or the abort reason
 * try { return await engine.run(input, request.signal); } finally { release(); }
 */
export class CapacityQueue {
  private readonly maxConcurrent: number;
  private readonly maxQueue: number;
  private readonly queueTimeoutMs: number;
  private readonly now: () => number;
  /** In arrival order; removing an aborted waiter from the middle is O(1). */
  private readonly waiters = new Set<Waiter>();
  private readonly shares = new FairShares();
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
   * { headers: { 'Retry-After': '<seconds>' } }) when the queue is full, the wait times out or a fairer
   * request pushed this one out, and with the signal's reason when it aborts while queued (the waiter is
   * removed). `account` is whose share the request uses (see accountOf). The caller must call the release
   * function exactly once the work is over, in a `finally`; calling it again does nothing.
   */
  acquire(signal?: AbortSignal, account = ''): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.runningCount < this.maxConcurrent && this.waiters.size === 0) {
      return Promise.resolve(this.grant(this.shares.tag(account)));
    }
    if (this.waiters.size >= this.maxQueue && !this.pushOutFor(account)) return Promise.reject(this.capacityError());

    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        account,
        start: this.shares.tag(account),
        resolve,
        reject,
        signal,
        timer: setTimeout(() => {
          this.leave(waiter);
          reject(this.capacityError());
        }, this.queueTimeoutMs),
        onAbort: () => {
          this.leave(waiter);
          reject(signal?.reason);
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiters.add(waiter);
    });
  }

  /** Takes a slot and returns its one-shot release. */
  private grant(start: number): () => void {
    this.shares.granted(start);
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

  /** Hands free slots to the waiters with the lowest start tags; aborted and timed-out ones are already gone. */
  private dispatch(): void {
    while (this.runningCount < this.maxConcurrent && this.waiters.size > 0) {
      let next: Waiter | undefined;
      for (const waiter of this.waiters) if (!next || waiter.start < next.start) next = waiter;
      this.remove(next!);
      next!.resolve(this.grant(next!.start));
    }
  }

  /**
   * The queue is full: frees a place for `account` by refusing the newest waiter of the account with the
   * most waiters, when that account has at least two more than `account` (so two accounts never take
   * turns pushing each other out). Returns whether a place was freed.
   */
  private pushOutFor(account: string): boolean {
    if (this.maxQueue === 0) return false;
    const counts = new Map<string, number>();
    for (const waiter of this.waiters) counts.set(waiter.account, (counts.get(waiter.account) ?? 0) + 1);
    let longest = '';
    let longestCount = 0;
    for (const [candidate, count] of counts) {
      if (count > longestCount) [longest, longestCount] = [candidate, count];
    }
    if ((counts.get(account) ?? 0) + 1 >= longestCount) return false;
    let victim: Waiter | undefined;
    for (const waiter of this.waiters)
      if (waiter.account === longest && (!victim || waiter.start >= victim.start)) victim = waiter;
    this.leave(victim!);
    victim!.reject(this.capacityError());
    return true;
  }

  /** A waiter leaves without running: out of the queue, and its account gets its share back. */
  private leave(waiter: Waiter): void {
    this.remove(waiter);
    this.shares.withdraw(waiter.account, waiter.start);
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
