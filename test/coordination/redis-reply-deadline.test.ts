import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import { connectRedis } from '../../src/coordination/redis/redis-connection.js';
import { assertRedisAnswers, testRedisPrefix, TEST_REDIS_URL } from '../helpers/redis.js';

/**
 * The command deadline of the shared limits' Redis connection, against a real Redis: a reply that arrived
 * while the process was starved of CPU is read, not thrown away as a timeout (the false 503 of a busy
 * replica), and a command that really gets no reply still fails at its deadline.
 */
const quiet = { warn() {}, info() {} };
const clients: Redis[] = [];
const open = (commandTimeoutMs: number) => {
  const redis = connectRedis({ url: TEST_REDIS_URL, keyPrefix: testRedisPrefix(), commandTimeoutMs }, quiet);
  clients.push(redis);
  return redis;
};

/** Keeps the event loop busy, as a replica whose cores are taken by image work. */
function starve(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}

before(assertRedisAnswers);
after(() => {
  for (const redis of clients) redis.disconnect();
});

test('a reply that came in while the process was starved is read, not timed out', async () => {
  const redis = open(100);
  await redis.ping();
  const reply = redis.ping();
  starve(300);
  assert.equal(await reply, 'PONG');
});

test("ioredis's own commandTimeout throws that reply away (why ours exists)", async () => {
  const redis = new Redis(TEST_REDIS_URL, { commandTimeout: 100, maxRetriesPerRequest: 1 });
  clients.push(redis);
  await redis.ping();
  const reply = redis.ping();
  starve(300);
  await assert.rejects(reply, /timed out/);
});

test('a command with no reply fails at its deadline', async () => {
  const redis = open(100);
  await redis.ping();
  const started = performance.now();
  // BLPOP on an empty list waits a whole second for a reply.
  await assert.rejects(redis.blpop(`empty-${process.pid}`, 1), /timed out/);
  const waited = performance.now() - started;
  assert.ok(waited >= 95 && waited < 800, `failed after ${waited.toFixed(0)} ms`);
});
