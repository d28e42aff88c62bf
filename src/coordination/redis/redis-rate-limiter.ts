import type { RateLimitDecision } from '../../accounts/rate-limiter.js';
import type { RateLimiter } from '../interfaces.js';
import type { CoordinationCommands } from './lua-scripts.js';
import { viaRedis } from './redis-connection.js';

const MINUTE_MS = 60_000;
/** As in the in-memory limiter: float refills can land a hair under a whole token. */
const EPSILON = 1e-9;

/**
 * The token bucket of `TokenBucketLimiter`, kept in Redis so that one bucket per key and route holds
 * across every replica: `N` per minute in total, not `N` per replica. Taking a token is one Lua script,
 * so concurrent requests on any replicas cannot both take the last token. The decision has the same
 * fields as the in-memory one, so Venice's rate-limit headers are unchanged.
 */
export class RedisRateLimiter implements RateLimiter {
  constructor(private readonly redis: CoordinationCommands) {}

  async take(bucketKey: string, requestsPerMinute: number): Promise<RateLimitDecision> {
    if (!Number.isFinite(requestsPerMinute) || requestsPerMinute <= 0) {
      throw new RangeError(`Expected a positive number for requestsPerMinute but received ${requestsPerMinute}`);
    }
    const [allowedFlag, left] = await viaRedis(() => this.redis.takeToken(`rate:${bucketKey}`, requestsPerMinute));
    const allowed = allowedFlag === 1;
    const tokens = Number(left);
    const msPerToken = MINUTE_MS / requestsPerMinute;
    return {
      allowed,
      limit: requestsPerMinute,
      remaining: Math.floor(tokens + EPSILON),
      resetMs: Math.max(0, Math.ceil((requestsPerMinute - tokens) * msPerToken)),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(((1 - tokens) * msPerToken) / 1000)),
    };
  }
}
