import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { CapacityQueue, MODEL_AT_CAPACITY_MESSAGE } from '../../src/coordination/capacity-queue.js';
import { ApiError } from '../../src/errors.js';

/** Lets settled promises run their callbacks. */
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function assertAtCapacity(error: unknown): true {
  assert.ok(error instanceof ApiError);
  assert.equal(error.code, 'MODEL_AT_CAPACITY');
  assert.equal(error.status, 503);
  assert.equal(error.message, MODEL_AT_CAPACITY_MESSAGE);
  assert.match(error.headers['Retry-After'] ?? '', /^[1-9][0-9]*$/);
  return true;
}

/** A seeded generator, so the random-abort test is the same on every run. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('CapacityQueue', () => {
  test('grants free slots at once and counts them', async () => {
    const queue = new CapacityQueue({ maxConcurrent: 2, maxQueue: 4, queueTimeoutMs: 1000 });
    const a = await queue.acquire();
    const b = await queue.acquire();
    assert.equal(queue.running, 2);
    assert.equal(queue.queued, 0);
    a();
    b();
    assert.equal(queue.running, 0);
  });

  test('serves waiters first in, first out', async () => {
    const queue = new CapacityQueue({ maxConcurrent: 1, maxQueue: 10, queueTimeoutMs: 5000 });
    const first = await queue.acquire();
    const order: number[] = [];
    const waiting = [1, 2, 3].map((n) =>
      queue.acquire().then((release) => {
        order.push(n);
        return release;
      }),
    );
    assert.equal(queue.queued, 3);
    first();
    (await waiting[0])();
    (await waiting[1])();
    (await waiting[2])();
    assert.deepEqual(order, [1, 2, 3]);
    assert.equal(queue.running, 0);
    assert.equal(queue.queued, 0);
  });

  test('refuses with 503 and Retry-After when the queue is full', async () => {
    const queue = new CapacityQueue({ maxConcurrent: 1, maxQueue: 1, queueTimeoutMs: 5000 });
    const release = await queue.acquire();
    const waiter = queue.acquire();
    await assert.rejects(queue.acquire(), assertAtCapacity);
    assert.equal(queue.queued, 1);
    release();
    (await waiter)();
    assert.equal(queue.running, 0);
  });

  test('with no queue, refuses as soon as every slot is busy', async () => {
    const queue = new CapacityQueue({ maxConcurrent: 1, maxQueue: 0, queueTimeoutMs: 5000 });
    const release = await queue.acquire();
    await assert.rejects(queue.acquire(), assertAtCapacity);
    release();
    (await queue.acquire())();
  });

  test('refuses a waiter whose wait times out, and drops it from the queue', async () => {
    const queue = new CapacityQueue({ maxConcurrent: 1, maxQueue: 5, queueTimeoutMs: 20 });
    const release = await queue.acquire();
    await assert.rejects(queue.acquire(), assertAtCapacity);
    assert.equal(queue.queued, 0);
    release();
    assert.equal(queue.running, 0);
  });

  test('rejects with the abort reason and removes an aborted waiter', async () => {
    const queue = new CapacityQueue({ maxConcurrent: 1, maxQueue: 5, queueTimeoutMs: 5000 });
    const release = await queue.acquire();
    const controller = new AbortController();
    const aborted = queue.acquire(controller.signal);
    const next = queue.acquire();
    assert.equal(queue.queued, 2);
    controller.abort();
    await assert.rejects(aborted, { name: 'AbortError' });
    assert.equal(queue.queued, 1);
    release(); // goes to the waiter still waiting, not the aborted one
    const nextRelease = await next;
    assert.equal(queue.running, 1);
    nextRelease();
    assert.equal(queue.running, 0);
  });

  test('rejects at once when the signal is already aborted', async () => {
    const queue = new CapacityQueue({ maxConcurrent: 1, maxQueue: 5, queueTimeoutMs: 5000 });
    const reason = new Error('client went away');
    await assert.rejects(queue.acquire(AbortSignal.abort(reason)), (error) => error === reason);
    assert.equal(queue.running, 0);
  });

  test('release is idempotent', async () => {
    const queue = new CapacityQueue({ maxConcurrent: 1, maxQueue: 5, queueTimeoutMs: 5000 });
    const release = await queue.acquire();
    const waiter = queue.acquire();
    release();
    release();
    release();
    assert.equal(queue.running, 1, 'the one slot went to the waiter, once');
    (await waiter)();
    assert.equal(queue.running, 0);
  });

  test('suggests a later retry when runs are long and the queue is deep', async () => {
    let t = 0;
    const queue = new CapacityQueue({ maxConcurrent: 1, maxQueue: 2, queueTimeoutMs: 5000, now: () => t });
    const run = await queue.acquire();
    t += 10_000; // one run held its slot 10 s
    run();
    const holder = await queue.acquire();
    const waiters = [queue.acquire(), queue.acquire()];
    const error: unknown = await queue.acquire().catch((e: unknown) => e);
    assertAtCapacity(error);
    assert.equal((error as ApiError).headers['Retry-After'], '30'); // two ahead on one slot, then its own turn
    holder();
    for (const waiter of waiters) (await waiter)();
  });

  test('leaks no slot under many random aborts and timeouts', async () => {
    const random = mulberry32(42);
    const queue = new CapacityQueue({ maxConcurrent: 3, maxQueue: 40, queueTimeoutMs: 30 });
    let active = 0;
    let maxActive = 0;
    const outcomes = { ran: 0, aborted: 0, capacity: 0 };

    const request = async (): Promise<void> => {
      const controller = new AbortController();
      if (random() < 0.3) setTimeout(() => controller.abort(), Math.floor(random() * 20));
      let release: () => void;
      try {
        release = await queue.acquire(controller.signal);
      } catch (error) {
        if (error instanceof ApiError) outcomes.capacity += 1;
        else if ((error as Error).name === 'AbortError') outcomes.aborted += 1;
        else throw error;
        return;
      }
      try {
        active += 1;
        maxActive = Math.max(maxActive, active);
        await sleep(Math.floor(random() * 6));
        outcomes.ran += 1;
      } finally {
        active -= 1;
        release();
        if (random() < 0.2) release(); // a careless double release must not free a second slot
      }
    };

    const requests: Array<Promise<void>> = [];
    for (let i = 0; i < 300; i++) {
      requests.push(request());
      if (i % 25 === 0) await flush();
    }
    await Promise.all(requests);

    assert.equal(outcomes.ran + outcomes.aborted + outcomes.capacity, 300);
    assert.ok(outcomes.ran > 0 && outcomes.aborted > 0 && outcomes.capacity > 0, JSON.stringify(outcomes));
    assert.ok(maxActive <= 3, `at most 3 at once, saw ${maxActive}`);
    assert.equal(queue.running, 0);
    assert.equal(queue.queued, 0);
    // Every slot is still usable.
    const releases = await Promise.all([queue.acquire(), queue.acquire(), queue.acquire()]);
    assert.equal(queue.running, 3);
    for (const release of releases) release();
  });

  test('validates its options', () => {
    assert.throws(() => new CapacityQueue({ maxConcurrent: 0, maxQueue: 1, queueTimeoutMs: 1 }), RangeError);
    assert.throws(() => new CapacityQueue({ maxConcurrent: 1, maxQueue: -1, queueTimeoutMs: 1 }), RangeError);
    assert.throws(() => new CapacityQueue({ maxConcurrent: 1, maxQueue: 1, queueTimeoutMs: 0 }), RangeError);
  });
});
