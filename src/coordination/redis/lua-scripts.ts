import type { Redis } from 'ioredis';

/**
 * The Lua scripts that make each shared-state step one atomic operation on Redis. Times come from Redis's
 * own clock (`TIME`), which every replica shares, in milliseconds.
 */

const NOW_MS = `local t = redis.call('TIME'); local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/**
 * Token bucket. KEYS[1]: the bucket (hash of tokens, updated). ARGV[1]: capacity = refill per minute.
 * Returns {allowed (1|0), tokens left (string, as Lua numbers would be truncated to integers)}.
 */
const TAKE_TOKEN = `
${NOW_MS}
local rate = tonumber(ARGV[1])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'updated')
local tokens = tonumber(state[1])
local updated = tonumber(state[2])
if tokens == nil or updated == nil then tokens = rate; updated = now end
tokens = math.min(rate, tokens + math.max(0, now - updated) * rate / 60000)
local allowed = 0
if tokens >= 1 - 1e-9 then allowed = 1; tokens = math.max(0, tokens - 1) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'updated', tostring(now))
redis.call('PEXPIRE', KEYS[1], 60000)
return {allowed, tostring(tokens)}
`;

/** Extends a lock's expiry if `ARGV[1]` (the holder's token) still holds it. KEYS[1]: lock; ARGV[2]: ms. */
const RENEW_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

/** Deletes a lock only if its holder is `ARGV[1]`: an expired holder never frees its successor's lock. */
const RELEASE_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * Semaphore with a FIFO queue. KEYS: [1] holders (zset token -> lease end), [2] queue (zset token ->
 * arrival number), [3] waiters' liveness (zset token -> liveness end), [4] arrival counter.
 * ARGV: token, maxConcurrent, maxQueue, lease ms, waiter liveness ms.
 * Expired holders (dead replicas) and silent waiters are dropped first. Returns {1, 0} when a slot is
 * granted, {0, position} while queued, {-1, queue length} when the queue is full.
 */
const ACQUIRE_SLOT = `
${NOW_MS}
local token = ARGV[1]
local max = tonumber(ARGV[2])
local maxQueue = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local silent = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)
for _, gone in ipairs(silent) do redis.call('ZREM', KEYS[2], gone) end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
for _, key in ipairs(KEYS) do redis.call('PEXPIRE', key, 86400000) end
local free = max - redis.call('ZCARD', KEYS[1])
local rank = redis.call('ZRANK', KEYS[2], token)
if rank == false then
  local queued = redis.call('ZCARD', KEYS[2])
  if free > 0 and queued == 0 then
    redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), token)
    return {1, 0}
  end
  if queued >= maxQueue then return {-1, queued} end
  redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[4]), token)
  redis.call('ZADD', KEYS[3], now + tonumber(ARGV[5]), token)
  return {0, queued}
end
if rank < free then
  redis.call('ZREM', KEYS[2], token)
  redis.call('ZREM', KEYS[3], token)
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), token)
  return {1, 0}
end
redis.call('ZADD', KEYS[3], now + tonumber(ARGV[5]), token)
return {0, rank}
`;

/** Extends a holder's lease if it still holds a slot. KEYS[1]: holders; ARGV: token, lease ms. */
const RENEW_SLOT = `
${NOW_MS}
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
  return 1
end
return 0
`;

/** The typed commands these scripts become on a connection. */
export interface CoordinationCommands {
  takeToken(bucket: string, rate: number): Promise<[number, string]>;
  renewLock(lock: string, token: string, ms: number): Promise<number>;
  releaseLock(lock: string, token: string): Promise<number>;
  acquireSlot(
    holders: string,
    queue: string,
    alive: string,
    counter: string,
    token: string,
    max: number,
    maxQueue: number,
    leaseMs: number,
    aliveMs: number,
  ): Promise<[number, number]>;
  renewSlot(holders: string, token: string, leaseMs: number): Promise<number>;
}

/** Registers the scripts (sent once, then run by SHA) and returns the connection with them as commands. */
export function withCoordinationCommands(redis: Redis): Redis & CoordinationCommands {
  redis.defineCommand('takeToken', { numberOfKeys: 1, lua: TAKE_TOKEN });
  redis.defineCommand('renewLock', { numberOfKeys: 1, lua: RENEW_LOCK });
  redis.defineCommand('releaseLock', { numberOfKeys: 1, lua: RELEASE_LOCK });
  redis.defineCommand('acquireSlot', { numberOfKeys: 4, lua: ACQUIRE_SLOT });
  redis.defineCommand('renewSlot', { numberOfKeys: 1, lua: RENEW_SLOT });
  return redis as Redis & CoordinationCommands;
}
