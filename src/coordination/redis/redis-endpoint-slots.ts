import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { EndpointSlots } from '../interfaces.js';
import type { CoordinationCommands } from './lua-scripts.js';
import { viaRedis } from './redis-connection.js';

/**
 * The call slots of each remote endpoint, shared by every replica: a set of leased holders per endpoint
 * in Redis, taken by one Lua script only while fewer than `maxConcurrent` hold it. Three replicas in front
 * of a GPU server configured for 2 calls send it 2 in all, not 2 each. A holder renews its lease every
 * third of it while the call runs; a replica killed mid-call stops renewing and its slot frees itself after
 * one lease. Redis unreachable: the call gets the 503 of every shared limit (viaRedis), it never goes
 * uncounted.
 *
 * @example
 * const release = await slots.tryTake('qwen-edit:gpu-1', 2);
 * if (release) try { await call(); } finally { release(); }
 */
export class RedisEndpointSlots implements EndpointSlots {
  constructor(
    private readonly redis: Redis & CoordinationCommands,
    private readonly leaseMs: number,
  ) {}

  async tryTake(name: string, maxConcurrent: number): Promise<(() => void) | null> {
    const holders = `endpoint:${name}:holders`;
    const token = randomUUID();
    const taken = await viaRedis(() => this.redis.trySlot(holders, token, maxConcurrent, this.leaseMs));
    if (taken !== 1) return null;
    const renewal = setInterval(
      () => {
        this.redis.renewSlot(holders, token, this.leaseMs).catch(() => {});
      },
      Math.max(50, Math.floor(this.leaseMs / 3)),
    );
    renewal.unref();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      clearInterval(renewal);
      // If Redis is unreachable now, the slot frees itself when its lease ends.
      this.redis.zrem(holders, token).catch(() => {});
    };
  }
}
