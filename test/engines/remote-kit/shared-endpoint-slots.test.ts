import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import type { Coordination } from '../../../src/coordination/interfaces.js';
import { createRedisCoordination } from '../../../src/coordination/redis/redis-coordination.js';
import { EndpointPool, EndpointState } from '../../../src/engines/remote-kit/endpoint-pool.js';
import { assertRedisAnswers, dropRedisPrefix, testRedisPrefix, TEST_REDIS_URL } from '../../helpers/redis.js';

/** A remote endpoint's maxConcurrent holds for the whole deployment: three replicas share its slots in Redis. */
const prefix = testRedisPrefix();
const quiet = { warn() {}, info() {} };
const made: Coordination[] = [];
const replica = (leaseMs = 2_000) => {
  const coordination = createRedisCoordination(
    { url: TEST_REDIS_URL, keyPrefix: prefix, commandTimeoutMs: 5_000 },
    leaseMs,
    quiet,
  );
  made.push(coordination);
  return coordination;
};
const breaker = { failureThreshold: 5, openMs: 60_000 };
/** One replica's pool for model `m`: two endpoints, the GPU servers every replica sends to. */
const poolOn = (coordination: Coordination, maxConcurrent: number) =>
  new EndpointPool(
    ['gpu-a', 'gpu-b'].map((name) => new EndpointState({ url: `http://127.0.0.1/${name}`, maxConcurrent }, name, breaker)),
    { slots: coordination.endpointSlots!, scope: 'm' },
  );

before(assertRedisAnswers);
after(async () => {
  for (const c of made) await c.close();
  await dropRedisPrefix(prefix);
});

test('three replicas send each endpoint at most its maxConcurrent calls in all, and every call gets through', async () => {
  const pools = [replica(), replica(), replica()].map((r) => poolOn(r, 2));
  const active = new Map<string, number>();
  const most = new Map<string, number>();
  const call = async (i: number) => {
    const lease = await pools[i % 3].acquire(AbortSignal.timeout(20_000));
    const label = lease.endpoint.label;
    active.set(label, (active.get(label) ?? 0) + 1);
    most.set(label, Math.max(most.get(label) ?? 0, active.get(label)!));
    await sleep(40);
    active.set(label, active.get(label)! - 1);
    lease.release();
  };
  await Promise.all(Array.from({ length: 24 }, (_, i) => call(i)));
  assert.deepEqual([...most.keys()].sort(), ['gpu-a', 'gpu-b'], 'both endpoints were used');
  for (const [label, count] of most) assert.equal(count, 2, `${label}: at most 2 calls at once across the replicas`);
});

test('a slot held by a replica that died frees itself after one lease', async () => {
  const dying = replica(400);
  const held = [
    await poolOn(dying, 1).acquire(AbortSignal.timeout(5_000)),
    await poolOn(dying, 1).acquire(AbortSignal.timeout(5_000)),
  ];
  await dying.close(); // stops renewing: both endpoints' only slots expire after 400 ms
  const survivor = poolOn(replica(400), 1);
  const started = Date.now();
  const lease = await survivor.acquire(AbortSignal.timeout(5_000));
  const waited = Date.now() - started;
  assert.ok(waited >= 200 && waited < 2_000, `waited ${waited} ms for the dead replica's lease to end`);
  lease.release();
  for (const h of held) h.release();
});

test('a caller waiting for a slot held elsewhere stops at once when its signal aborts', async () => {
  const [first, second] = [replica(), replica()].map((r) => poolOn(r, 1));
  const leases = [await first.acquire(AbortSignal.timeout(5_000)), await first.acquire(AbortSignal.timeout(5_000))];
  const controller = new AbortController();
  const waiting = second.acquire(controller.signal);
  await sleep(120);
  controller.abort(new Error('client left'));
  await assert.rejects(waiting, /client left/);
  for (const lease of leases) lease.release();
  await sleep(20);
  (await second.acquire(AbortSignal.timeout(5_000))).release();
});
