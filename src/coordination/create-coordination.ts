import type { Config } from '../config/schema.js';
import type { Coordination } from './interfaces.js';
import { createMemoryCoordination } from './memory-coordination.js';
import { createRedisCoordination } from './redis/redis-coordination.js';

interface Logger {
  warn(object: object, message: string): void;
  info(object: object, message: string): void;
}

/** Redis-backed coordination when `redis.url` (RETOUCH_REDIS_URL) is set, else this process's memory. */
export function createCoordination(config: Config, log: Logger): Coordination {
  const { url, keyPrefix, commandTimeoutMs } = config.redis;
  const budget = config.errorBudget;
  return url
    ? createRedisCoordination({ url, keyPrefix, commandTimeoutMs }, config.leaseMs, log, budget)
    : createMemoryCoordination(budget);
}
