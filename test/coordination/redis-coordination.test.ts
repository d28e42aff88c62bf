import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { TokenBucketLimiter } from '../../src/accounts/rate-limiter.js';
import { createRedisCoordination } from '../../src/coordination/redis/redis-coordination.js';
import type { Coordination } from '../../src/coordination/interfaces.js';
import type { ModelEntry } from '../../src/engines/model-entry.js';
import type { ApiError } from '../../src/errors.js';
import { assertRedisAnswers, dropRedisPrefix, testRedisPrefix, TEST_REDIS_URL } from '../helpers/redis.js';

/** The Redis coordination against a real Redis: several instances stand for several replicas. */
const prefix = testRedisPrefix();
const quiet = { warn() {}, info() {} };
const made: Coordination[] = [];
const replica = (leaseMs = 1_000, url = TEST_REDIS_URL) => {
  const coordination = createRedisCoordination({ url, keyPrefix: prefix, commandTimeoutMs: 500 }, leaseMs, quiet);
  made.push(coordination);
  return coordination;
};
const model = (capacity: ModelEntry['capacity'], id = 'm'): ModelEntry => ({ id, capacity }) as ModelEntry;

before(assertRedisAnswers);
after(async () => {
  for (const c of made) await c.close();
  await dropRedisPrefix(prefix);
});

test('one token bucket across replicas, with the same decisions as the in-memory limiter', async () => {
  const [a, b] = [replica(), replica()];
  const memory = new TokenBucketLimiter({});
  const decisions = [];
  for (let i = 0; i < 6; i++) decisions.push(await (i % 2 ? a : b).limiter.take('key1:edit', 5));
  assert.deepEqual(
    decisions.map((d) => d.allowed),
    [true, true, true, true, true, false],
    '5 in total, not 5 per replica',
  );
  const local = Array.from({ length: 6 }, () => memory.take('k', 5));
  assert.deepEqual(
    decisions.map((d) => [d.limit, d.remaining, d.retryAfterSeconds]),
    local.map((d) => [d.limit, d.remaining, d.retryAfterSeconds]),
  );
  assert.ok(Math.abs(decisions[5].resetMs - local[5].resetMs) < 200);
  assert.equal((await a.limiter.take('key2:edit', 5)).allowed, true, 'buckets are per key and route');
});

test('concurrent takes on three replicas never pass more than the bucket holds', async () => {
  const replicas = [replica(), replica(), replica()];
  const results = await Promise.all(Array.from({ length: 60 }, (_, i) => replicas[i % 3].limiter.take('key3:edit', 20)));
  assert.equal(results.filter((d) => d.allowed).length, 20);
});

test('the idempotency lock admits one holder at a time across replicas; a dead holder’s lock expires', async () => {
  const [a, b] = [replica(400), replica(400)];
  let active = 0;
  let most = 0;
  const task = async () => {
    most = Math.max(most, ++active);
    await sleep(150);
    active--;
  };
  await Promise.all([a.locks.runExclusive('k:1', task), b.locks.runExclusive('k:1', task), a.locks.runExclusive('k:1', task)]);
  assert.equal(most, 1);

  // A holder whose process dies never releases: its lock is gone one lease later.
  const dying = replica(400);
  let release!: () => void;
  const held = dying.locks.runExclusive('k:2', () => new Promise<void>((resolve) => (release = resolve)));
  await sleep(50);
  await dying.close(); // the connection is gone: no renewal, no release
  const started = Date.now();
  await b.locks.runExclusive('k:2', async () => {});
  const waited = Date.now() - started;
  assert.ok(waited >= 200 && waited < 1_500, `waited ${waited} ms for the lease to end`);
  release();
  await held.catch(() => {});
});

test('capacity across replicas: at most maxConcurrent runs, a bounded queue, 503 with Retry-After past it', async () => {
  const capacity = { maxConcurrent: 2, maxQueue: 3, queueTimeoutMs: 5_000 };
  const replicas = [replica(), replica(), replica()];
  let active = 0;
  let most = 0;
  const run = async (i: number) => {
    const release = await replicas[i % 3].capacityFor(model(capacity, 'cap1')).acquire();
    most = Math.max(most, ++active);
    await sleep(120);
    active--;
    release();
  };
  const outcomes = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => run(i)));
  assert.equal(most, 2);
  const refused = outcomes.filter((o) => o.status === 'rejected');
  assert.equal(refused.length, 3, '2 running + 3 queued admitted, 3 refused');
  for (const o of refused) {
    const error = (o as PromiseRejectedResult).reason as ApiError;
    assert.equal(error.code, 'MODEL_AT_CAPACITY');
    assert.match(error.headers['Retry-After'], /^\d+$/);
  }
});

test('a slot held by a replica that died frees itself after one lease; an aborted waiter leaves the queue', async () => {
  const capacity = { maxConcurrent: 1, maxQueue: 1, queueTimeoutMs: 5_000 };
  const dying = replica(400);
  const neverReleased = await dying.capacityFor(model(capacity, 'cap2')).acquire();
  await dying.close();
  const survivor = replica(400);
  const controller = new AbortController();
  const aborted = survivor.capacityFor(model(capacity, 'cap2')).acquire(controller.signal);
  await sleep(50);
  controller.abort(new Error('client left'));
  await assert.rejects(aborted, /client left/);
  const started = Date.now();
  const release = await survivor.capacityFor(model(capacity, 'cap2')).acquire();
  assert.ok(Date.now() - started < 1_000);
  release();
  neverReleased();
});

test('Redis unreachable: limits, locks and capacity fail closed with a 503 and Retry-After, quickly', async () => {
  const down = replica(1_000, 'redis://127.0.0.1:1');
  const started = Date.now();
  const calls: Array<() => unknown> = [
    () => down.limiter.take('k:edit', 5),
    () => down.locks.runExclusive('k', async () => 'ran'),
    () => down.capacityFor(model({ maxConcurrent: 1, maxQueue: 1, queueTimeoutMs: 1_000 })).acquire(),
  ];
  for (const call of calls) {
    await assert.rejects(Promise.resolve().then(call), (error: ApiError) => {
      assert.equal(error.code, 'SERVICE_UNAVAILABLE');
      assert.equal(error.status, 503);
      assert.equal(error.headers['Retry-After'], '5');
      return true;
    });
  }
  assert.ok(Date.now() - started < 6_000, `took ${Date.now() - started} ms`);
});
