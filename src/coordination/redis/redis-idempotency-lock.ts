import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { ApiError } from '../../errors.js';
import type { IdempotencyLock } from '../interfaces.js';
import type { CoordinationCommands } from './lua-scripts.js';
import { viaRedis } from './redis-connection.js';

export interface RedisLockOptions {
  /** How long the lock outlives a holder that stopped renewing it (a killed replica). */
  leaseMs: number;
  /** Pause between two attempts of a waiter. */
  pollMs?: number;
  /** A waiter gives up (503) after this long; the holder's engine run is bounded by its timeout anyway. */
  maxWaitMs?: number;
}

/**
 * A lock per name across replicas: `SET NX PX` with a random token, renewed by the holder every third of
 * the lease while its task runs, deleted only by its holder (compare-and-delete). A second request with
 * the same Idempotency-Key on another replica waits here, then finds the first one's stored result and
 * replays it: one engine run, one charge. If the holder dies, the lock expires after one lease and the
 * waiter runs the request itself (nothing was charged for the dead one).
 */
export class RedisIdempotencyLock implements IdempotencyLock {
  private readonly pollMs: number;
  private readonly maxWaitMs: number;

  constructor(
    private readonly redis: Redis & CoordinationCommands,
    private readonly options: RedisLockOptions,
  ) {
    this.pollMs = options.pollMs ?? 25;
    this.maxWaitMs = options.maxWaitMs ?? 10 * 60_000;
  }

  async runExclusive<T>(name: string, task: () => Promise<T>): Promise<T> {
    const lock = `lock:${name}`;
    const token = randomUUID();
    const { leaseMs } = this.options;
    const deadline = Date.now() + this.maxWaitMs;
    while ((await viaRedis(() => this.redis.set(lock, token, 'PX', leaseMs, 'NX'))) !== 'OK') {
      if (Date.now() > deadline) {
        throw new ApiError('SERVICE_UNAVAILABLE', 'The same Idempotency-Key is still being processed; retry later', {
          headers: { 'Retry-After': '30' },
        });
      }
      await sleep(this.pollMs);
    }
    const renewal = setInterval(
      () => {
        this.redis.renewLock(lock, token, leaseMs).catch(() => {});
      },
      Math.max(50, Math.floor(leaseMs / 3)),
    );
    renewal.unref();
    try {
      return await task();
    } finally {
      clearInterval(renewal);
      // If Redis is gone the lock simply expires after its lease.
      await this.redis.releaseLock(lock, token).catch(() => {});
    }
  }
}
