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
 * Semaphore with a queue fair between accounts (start-time fair queueing with equal shares, as
 * coordination/fair-shares.ts does in one process). KEYS: [1] holders (zset token -> lease end),
 * [2] queue (zset token -> start tag * 2^20 + arrival, so ties keep arrival order), [3] waiters' liveness
 * (zset token -> liveness end), [4] state (hash: vtime = start tag last granted, seq = arrivals),
 * [5] finish tags (zset account -> finish tag of its latest request), [6] owners (hash queued token ->
 * account), [7] pushed out (zset token -> expiry). ARGV: token, maxConcurrent, maxQueue, lease ms,
 * waiter liveness ms, account.
 * Expired holders (dead replicas) and silent waiters are dropped first. When the queue is full, a request
 * of an account with at least two fewer waiters than the longest account's pushes out that account's
 * newest waiter, which learns it on its next poll. Returns {1, 0} when a slot is granted, {0, position}
 * while queued, {-1, queue length} when refused (queue full, or pushed out).
 */
const ACQUIRE_SLOT = `
${NOW_MS}
local token = ARGV[1]
local max = tonumber(ARGV[2])
local maxQueue = tonumber(ARGV[3])
local account = ARGV[6]
local SPAN = 1048576
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local silent = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)
for _, gone in ipairs(silent) do
  redis.call('ZREM', KEYS[2], gone)
  redis.call('HDEL', KEYS[6], gone)
end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[7], '-inf', now)
for _, key in ipairs(KEYS) do redis.call('PEXPIRE', key, 86400000) end
if redis.call('ZSCORE', KEYS[7], token) then
  redis.call('ZREM', KEYS[7], token)
  return {-1, redis.call('ZCARD', KEYS[2])}
end
local vtime = tonumber(redis.call('HGET', KEYS[4], 'vtime')) or 0
local function tag(who)
  local start = math.max(vtime, tonumber(redis.call('ZSCORE', KEYS[5], who)) or 0)
  redis.call('ZADD', KEYS[5], start + 1, who)
  return start
end
local function grant(start)
  if start > vtime then
    redis.call('HSET', KEYS[4], 'vtime', start)
    redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', start)
  end
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), token)
end
local free = max - redis.call('ZCARD', KEYS[1])
local rank = redis.call('ZRANK', KEYS[2], token)
if rank == false then
  local queued = redis.call('ZCARD', KEYS[2])
  if free > 0 and queued == 0 then
    grant(tag(account))
    return {1, 0}
  end
  if queued >= maxQueue then
    if maxQueue == 0 then return {-1, queued} end
    local counts = {}
    local owners = redis.call('HVALS', KEYS[6])
    for _, who in ipairs(owners) do counts[who] = (counts[who] or 0) + 1 end
    local longest, longestCount = nil, 0
    for who, count in pairs(counts) do
      if count > longestCount then longest = who; longestCount = count end
    end
    if (counts[account] or 0) + 1 >= longestCount then return {-1, queued} end
    local newest = redis.call('ZREVRANGE', KEYS[2], 0, -1, 'WITHSCORES')
    for i = 1, #newest, 2 do
      if redis.call('HGET', KEYS[6], newest[i]) == longest then
        local start = math.floor(tonumber(newest[i + 1]) / SPAN)
        redis.call('ZREM', KEYS[2], newest[i])
        redis.call('ZREM', KEYS[3], newest[i])
        redis.call('HDEL', KEYS[6], newest[i])
        redis.call('ZADD', KEYS[7], now + tonumber(ARGV[5]) * 4, newest[i])
        if tonumber(redis.call('ZSCORE', KEYS[5], longest)) == start + 1 then redis.call('ZADD', KEYS[5], start, longest) end
        break
      end
    end
  end
  local start = tag(account)
  local seq = redis.call('HINCRBY', KEYS[4], 'seq', 1)
  redis.call('ZADD', KEYS[2], start * SPAN + seq % SPAN, token)
  redis.call('ZADD', KEYS[3], now + tonumber(ARGV[5]), token)
  redis.call('HSET', KEYS[6], token, account)
  rank = redis.call('ZRANK', KEYS[2], token)
  if rank >= free then return {0, rank} end
end
if rank < free then
  local start = math.floor(tonumber(redis.call('ZSCORE', KEYS[2], token)) / SPAN)
  redis.call('ZREM', KEYS[2], token)
  redis.call('ZREM', KEYS[3], token)
  redis.call('HDEL', KEYS[6], token)
  grant(start)
  return {1, 0}
end
redis.call('ZADD', KEYS[3], now + tonumber(ARGV[5]), token)
return {0, rank}
`;

/**
 * One call slot of a remote endpoint, across replicas. KEYS[1]: holders (zset token -> lease end).
 * ARGV: token, maxConcurrent, lease ms. Expired holders (dead replicas) are dropped first. Returns 1 when
 * the slot is taken, 0 when every slot is held.
 */
const TRY_SLOT = `
${NOW_MS}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('PEXPIRE', KEYS[1], 86400000)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
return 1
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

/**
 * The error budget's window. KEYS[1]: the failure counter; ARGV[1]: window ms. BUDGET_FAILURE counts one
 * failure, starting the window (the key's expiry) with the first; BUDGET_STATE only reads. Both return
 * {failures, window end in Unix ms} (a window that has not started ends a full window from now).
 */
const BUDGET_FAILURE = `
${NOW_MS}
local failures = redis.call('INCR', KEYS[1])
if failures == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {failures, now + ttl}
`;

const BUDGET_STATE = `
${NOW_MS}
local failures = tonumber(redis.call('GET', KEYS[1]) or '0')
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then ttl = tonumber(ARGV[1]) end
return {failures, now + ttl}
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
    state: string,
    finishTags: string,
    owners: string,
    pushedOut: string,
    token: string,
    max: number,
    maxQueue: number,
    leaseMs: number,
    aliveMs: number,
    account: string,
  ): Promise<[number, number]>;
  trySlot(holders: string, token: string, max: number, leaseMs: number): Promise<number>;
  budgetFailure(counter: string, windowMs: number): Promise<[number, number]>;
  budgetState(counter: string, windowMs: number): Promise<[number, number]>;
  renewSlot(holders: string, token: string, leaseMs: number): Promise<number>;
}

/** Registers the scripts (sent once, then run by SHA) and returns the connection with them as commands. */
export function withCoordinationCommands(redis: Redis): Redis & CoordinationCommands {
  redis.defineCommand('takeToken', { numberOfKeys: 1, lua: TAKE_TOKEN });
  redis.defineCommand('renewLock', { numberOfKeys: 1, lua: RENEW_LOCK });
  redis.defineCommand('releaseLock', { numberOfKeys: 1, lua: RELEASE_LOCK });
  redis.defineCommand('acquireSlot', { numberOfKeys: 7, lua: ACQUIRE_SLOT });
  redis.defineCommand('trySlot', { numberOfKeys: 1, lua: TRY_SLOT });
  redis.defineCommand('budgetFailure', { numberOfKeys: 1, lua: BUDGET_FAILURE });
  redis.defineCommand('budgetState', { numberOfKeys: 1, lua: BUDGET_STATE });
  redis.defineCommand('renewSlot', { numberOfKeys: 1, lua: RENEW_SLOT });
  return redis as Redis & CoordinationCommands;
}
