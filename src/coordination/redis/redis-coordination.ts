import type { Coordination, CapacityLimiter } from '../interfaces.js';
import { withCoordinationCommands } from './lua-scripts.js';
import { RedisCapacityQueue } from './redis-capacity-queue.js';
import { RedisEndpointSlots } from './redis-endpoint-slots.js';
import { RedisErrorBudget } from './redis-error-budget.js';
import { type ErrorBudgetSettings, VENICE_ERROR_BUDGET } from '../error-budget.js';
import { connectRedis, type RedisSettings } from './redis-connection.js';
import { RedisIdempotencyLock } from './redis-idempotency-lock.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';

interface Logger {
  warn(object: object, message: string): void;
  info(object: object, message: string): void;
}

/** Limits, locks and capacity shared by every replica through one Redis (RETOUCH_REDIS_URL). */
export function createRedisCoordination(
  settings: RedisSettings,
  leaseMs: number,
  log: Logger,
  budget: ErrorBudgetSettings = VENICE_ERROR_BUDGET,
): Coordination {
  const redis = withCoordinationCommands(connectRedis(settings, log));
  const queues = new Map<string, CapacityLimiter>();
  return {
    kind: 'redis',
    limiter: new RedisRateLimiter(redis),
    locks: new RedisIdempotencyLock(redis, { leaseMs }),
    errorBudget: new RedisErrorBudget(redis, budget),
    endpointSlots: new RedisEndpointSlots(redis, leaseMs),
    capacityFor(model) {
      let queue = queues.get(model.id);
      if (!queue) {
        queue = new RedisCapacityQueue(redis, { name: model.id, leaseMs, ...model.capacity });
        queues.set(model.id, queue);
      }
      return queue;
    },
    async close() {
      redis.disconnect();
    },
  };
}
