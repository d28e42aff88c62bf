import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { CapacityQueue } from '../../src/coordination/capacity-queue.js';
import type { CapacityLimiter, Coordination } from '../../src/coordination/interfaces.js';
import { createRedisCoordination } from '../../src/coordination/redis/redis-coordination.js';
import type { ModelEntry } from '../../src/engines/model-entry.js';
import { ApiError } from '../../src/errors.js';
import { assertRedisAnswers, dropRedisPrefix, testRedisPrefix, TEST_REDIS_URL } from '../helpers/redis.js';

/**
 * Fair queueing between accounts, in one process (CapacityQueue) and across three replicas (Redis):
 * one account's flood never makes another account wait behind it.
 */
const prefix = testRedisPrefix();
const quiet = { warn() {}, info() {} };
const made: Coordination[] = [];
const replica = () => {
  const coordination = createRedisCoordination({ url: TEST_REDIS_URL, keyPrefix: prefix, commandTimeoutMs: 5_000 }, 2_000, quiet);
  made.push(coordination);
  return coordination;
};
const model = (capacity: ModelEntry['capacity'], id: string): ModelEntry => ({ id, capacity }) as ModelEntry;

before(assertRedisAnswers);
after(async () => {
  for (const c of made) await c.close();
  await dropRedisPrefix(prefix);
});

const JOB_MS = 60;

/**
 * Account "flood" sends 30 requests, "other" sends one once they are all in; every granted request holds
 * its slot JOB_MS. Returns the order in which slots were granted and what was refused.
 */
async function floodThenOne(
  limiters: CapacityLimiter[],
): Promise<{ order: string[]; refused: string[]; otherWaitMs: number; floodMs: number }> {
  const order: string[] = [];
  const refused: string[] = [];
  const request = async (account: string, i: number) => {
    try {
      const release = await limiters[i % limiters.length].acquire(undefined, account);
      order.push(account);
      await sleep(JOB_MS);
      release();
    } catch (error) {
      assert.ok(error instanceof ApiError && error.code === 'MODEL_AT_CAPACITY', String(error));
      refused.push(account);
    }
  };
  const flood = Array.from({ length: 30 }, (_, i) => request('flood', i));
  await sleep(15); // every flood request has reached the queue (or been refused)
  const started = Date.now();
  const other = request('other', 0).then(() => Date.now() - started);
  const [otherWaitMs] = await Promise.all([other, ...flood]);
  return { order, refused, otherWaitMs: otherWaitMs as number, floodMs: Date.now() - started };
}

function assertServedNext({ order, refused, otherWaitMs, floodMs }: Awaited<ReturnType<typeof floodThenOne>>): void {
  assert.equal(order.indexOf('other'), 1, `the other account runs right after the one running job: ${order.join(',')}`);
  assert.ok(!refused.includes('other'), 'a full queue of one account does not refuse another');
  // 1 running + 16 queued of the flood's 30 were admitted, and one of the queued gave its place up.
  assert.equal(refused.length, 14);
  assert.equal(order.length, 17);
  // In time: done after about 2 of the 17 jobs, not after the flood's queue (a busy machine slows both alike).
  assert.ok(otherWaitMs < floodMs / 3, `waited ${otherWaitMs} ms of the flood's ${floodMs} ms`);
}

describe('fair queueing in one process', () => {
  test('one account sends 30, another sends 1 afterwards: the second waits for the running job only', async () => {
    const queue = new CapacityQueue({ maxConcurrent: 1, maxQueue: 16, queueTimeoutMs: 30_000 });
    const outcome = await floodThenOne([queue]);
    assertServedNext(outcome);
    assert.equal(queue.running + queue.queued, 0);
  });

  test('two accounts take turns; each keeps its own order', async () => {
    const queue = new CapacityQueue({ maxConcurrent: 1, maxQueue: 16, queueTimeoutMs: 30_000 });
    const first = await queue.acquire(undefined, 'a');
    const order: string[] = [];
    const waiting = ['a1', 'a2', 'a3', 'b0', 'b1', 'b2'].map((name) =>
      queue.acquire(undefined, name[0]).then((release) => {
        order.push(name);
        release();
      }),
    );
    first();
    await Promise.all(waiting);
    assert.deepEqual(order, ['b0', 'a1', 'b1', 'a2', 'b2', 'a3']);
  });

  test('a full queue: the longest account gives its newest place up; equal accounts do not push each other out', async () => {
    const queue = new CapacityQueue({ maxConcurrent: 1, maxQueue: 2, queueTimeoutMs: 30_000 });
    const running = await queue.acquire(undefined, 'a');
    const a1 = queue.acquire(undefined, 'a');
    const a2 = queue.acquire(undefined, 'a');
    const b = queue.acquire(undefined, 'b');
    await assert.rejects(a2, (error) => error instanceof ApiError && error.code === 'MODEL_AT_CAPACITY');
    await assert.rejects(queue.acquire(undefined, 'c'), (error) => error instanceof ApiError && error.status === 503);
    assert.equal(queue.queued, 2);
    running();
    (await b)();
    (await a1)();
    assert.equal(queue.running, 0);
  });
});

describe('fair queueing across three replicas (Redis)', () => {
  test('one account sends 30 spread over three replicas, another sends 1: the second waits for the running job only', async () => {
    const capacity = { maxConcurrent: 1, maxQueue: 16, queueTimeoutMs: 30_000 };
    const limiters = [replica(), replica(), replica()].map((r) => r.capacityFor(model(capacity, 'fair1')));
    const outcome = await floodThenOne(limiters);
    assertServedNext(outcome);
  });

  test('two accounts on different replicas take turns', async () => {
    const capacity = { maxConcurrent: 1, maxQueue: 16, queueTimeoutMs: 30_000 };
    const [r1, r2] = [replica(), replica()].map((r) => r.capacityFor(model(capacity, 'fair2')));
    const first = await r1.acquire(undefined, 'a');
    const order: string[] = [];
    const waiting: Array<Promise<void>> = [];
    for (const name of ['a1', 'a2', 'a3', 'b0', 'b1', 'b2']) {
      const limiter = name[0] === 'a' ? r1 : r2;
      waiting.push(
        limiter.acquire(undefined, name[0]).then(async (release) => {
          order.push(name);
          await sleep(30);
          release();
        }),
      );
      await sleep(10); // arrival order is the list's order
    }
    first();
    await Promise.all(waiting);
    assert.deepEqual(order, ['b0', 'a1', 'b1', 'a2', 'b2', 'a3']);
  });
});
