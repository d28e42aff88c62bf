import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ApiError } from '../../errors.js';
import { MODEL_AT_CAPACITY_MESSAGE } from '../capacity-queue.js';
import type { CapacityLimiter } from '../interfaces.js';
import type { CoordinationCommands } from './lua-scripts.js';
import { viaRedis } from './redis-connection.js';

export interface RedisCapacityOptions {
  /** Redis key of this model's semaphore (without the deployment prefix). */
  name: string;
  maxConcurrent: number;
  maxQueue: number;
  queueTimeoutMs: number;
  /** How long a slot outlives a replica that stopped renewing it. */
  leaseMs: number;
  /** Pause between two attempts of a queued request. */
  pollMs?: number;
}

const HOLD_SMOOTHING = 0.2;
const MAX_RETRY_AFTER_SECONDS = 60;

/**
 * A model's capacity across replicas: a semaphore of `maxConcurrent` leased slots and a queue of at most
 * `maxQueue` waiters, fair between accounts (equal shares, first in first out within an account), both in
 * Redis and changed only by one Lua script (see lua-scripts.ts). A
 * holder renews its slot every third of the lease while its engine runs; a replica killed mid-run stops
 * renewing, and its slot frees itself after one lease. Waiters poll, which also proves they are alive:
 * one that stops polling (its replica died) leaves the queue after a few missed polls.
 */
export class RedisCapacityQueue implements CapacityLimiter {
  private readonly keys: [string, string, string, string, string, string, string];
  private readonly pollMs: number;
  private averageHoldMs: number | undefined;

  constructor(
    private readonly redis: Redis & CoordinationCommands,
    private readonly options: RedisCapacityOptions,
  ) {
    const base = `capacity:${options.name}`;
    // The fair queue's keys are new names: a queue of the FIFO version (scored by arrival) is never read.
    const keys = ['holders', 'fair-queue', 'alive', 'fair-state', 'finish-tags', 'owners', 'pushed-out'] as const;
    this.keys = keys.map((key) => `${base}:${key}`) as RedisCapacityQueue['keys'];
    this.pollMs = options.pollMs ?? 20;
  }

  async acquire(signal?: AbortSignal, account = ''): Promise<() => void> {
    if (signal?.aborted) throw signal.reason;
    const token = randomUUID();
    const started = Date.now();
    const aliveMs = Math.max(1_000, this.pollMs * 50);
    for (;;) {
      const [state, position] = await viaRedis(() =>
        this.redis.acquireSlot(
          ...this.keys,
          token,
          this.options.maxConcurrent,
          this.options.maxQueue,
          this.options.leaseMs,
          aliveMs,
          account,
        ),
      );
      if (state === 1) return this.holding(token);
      if (state === -1) throw this.capacityError(position);
      if (signal?.aborted || Date.now() - started >= this.options.queueTimeoutMs) {
        await this.leaveQueue(token);
        if (signal?.aborted) throw signal.reason;
        throw this.capacityError(position);
      }
      await pause(this.pollMs, signal);
    }
  }

  /** The release of a granted slot, renewing its lease until then. */
  private holding(token: string): () => void {
    const grantedAt = Date.now();
    const renewal = setInterval(
      () => {
        this.redis.renewSlot(this.keys[0], token, this.options.leaseMs).catch(() => {});
      },
      Math.max(50, Math.floor(this.options.leaseMs / 3)),
    );
    renewal.unref();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      clearInterval(renewal);
      this.recordHold(Date.now() - grantedAt);
      // If Redis is unreachable now, the slot frees itself when its lease ends.
      this.redis.zrem(this.keys[0], token).catch(() => {});
    };
  }

  private async leaveQueue(token: string): Promise<void> {
    const [, queue, alive, , , owners] = this.keys;
    await Promise.all([this.redis.zrem(queue, token), this.redis.zrem(alive, token), this.redis.hdel(owners, token)]).catch(
      () => {},
    );
  }

  private recordHold(ms: number): void {
    this.averageHoldMs = this.averageHoldMs === undefined ? ms : this.averageHoldMs + HOLD_SMOOTHING * (ms - this.averageHoldMs);
  }

  /** As the in-memory queue estimates it: the requests ahead, spread over the slots, times the average run. */
  private capacityError(ahead: number): ApiError {
    const rounds = Math.floor(ahead / this.options.maxConcurrent) + 1;
    const seconds = Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil(((this.averageHoldMs ?? 1000) * rounds) / 1000)));
    return new ApiError('MODEL_AT_CAPACITY', MODEL_AT_CAPACITY_MESSAGE, { headers: { 'Retry-After': String(seconds) } });
  }
}

/** Waits `ms`, or less if the signal aborts (the loop then sees the abort). */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
