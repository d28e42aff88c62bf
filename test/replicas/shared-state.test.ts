import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { samplePng } from '../helpers/test-app.js';
import { assertLedgerAddsUp } from '../helpers/ledger.js';
import { edit, ReplicaCluster, slowCutoutModel, slowModel } from './replica-cluster.js';
import { SlowUpstream } from './slow-upstream.js';

/**
 * Three `retouch serve` processes sharing one PostgreSQL database and one Redis: money, rate limits,
 * idempotency and capacity hold across them. Engines are the real `venice` engine forwarding to a slow
 * Venice-protocol test server that records its concurrency.
 */
let cluster: ReplicaCluster;
let upstream: SlowUpstream;
let capped: SlowUpstream;
let image: string;
const PRICE = 10_000;

before(async () => {
  upstream = await SlowUpstream.start(300);
  capped = await SlowUpstream.start(300);
  image = (await samplePng(320, 240)).toString('base64');
  cluster = await ReplicaCluster.create({
    defaultEditModel: 'slow-edit',
    rateLimits: { default: { requestsPerMinute: 1000 }, routes: { 'multi-edit': { requestsPerMinute: 6 } } },
    models: {
      'bg-remove': slowCutoutModel(upstream.url),
      'slow-edit': slowModel(upstream.url),
      'capped-edit': slowModel(capped.url, { maxConcurrent: 2 }),
    },
  });
  await Promise.all([cluster.start(), cluster.start(), cluster.start()]);
});
after(async () => {
  await cluster?.close();
  await upstream?.close();
  await capped?.close();
});

const replicaUrl = (i: number) => cluster.replicas[i % cluster.replicas.length].url;

test('40 concurrent edits across 3 replicas on credit for exactly 5: five 200s, thirty-five 402s, balance 0', async () => {
  const { key, keyId, accountId } = await cluster.key('0.05');
  const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => edit(replicaUrl(i), key, image)));
  const statuses = answers.map((a) => a.status);
  assert.equal(statuses.filter((s) => s === 200).length, 5, statuses.join(','));
  assert.equal(statuses.filter((s) => s === 402).length, 35, statuses.join(','));
  for (const answer of answers.filter((a) => a.status === 402))
    assert.match(JSON.parse(answer.body.toString()).error, /Insufficient balance/);
  const balance = await cluster.store.getBalance(accountId);
  assert.equal(balance.balanceMicros, 0);
  await assertLedgerAddsUp(cluster.store, keyId, { successes: 5, priceMicros: PRICE });
  const charges = (await cluster.store.listUsage({ keyId })).filter((row) => row.chargedMicros > 0);
  assert.equal(charges.length, 5, 'the ledger holds 5 charges');
});

test('a rate limit of 6 per minute holds across the three replicas: 6 in total, not 18', async () => {
  const { key } = await cluster.key('1');
  const answers = await Promise.all(
    Array.from({ length: 15 }, (_, i) =>
      fetch(`${replicaUrl(i)}/api/v1/image/multi-edit`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ modelId: 'slow-edit', prompt: 'negative', images: [image] }),
      }),
    ),
  );
  const statuses = answers.map((a) => a.status);
  assert.equal(statuses.filter((s) => s === 429).length, 9, statuses.join(','));
  assert.equal(statuses.filter((s) => s === 200).length, 6, statuses.join(','));
  const refused = answers.find((a) => a.status === 429)!;
  assert.equal(refused.headers.get('x-ratelimit-limit-requests'), '6');
  assert.equal(refused.headers.get('x-ratelimit-remaining-requests'), '0');
  assert.match(refused.headers.get('retry-after') ?? '', /^\d+$/);
  assert.match(refused.headers.get('x-ratelimit-reset-requests') ?? '', /^\d{13}$/);
});

test('the same Idempotency-Key sent to two replicas at once: one engine run, one charge, the same body', async () => {
  const { key, keyId } = await cluster.key('1');
  upstream.resetCounts();
  const headers = { 'idempotency-key': 'replicas-idem-1' };
  const [a, b] = await Promise.all([edit(replicaUrl(0), key, image, headers), edit(replicaUrl(1), key, image, headers)]);
  assert.deepEqual([a.status, b.status], [200, 200]);
  assert.equal(upstream.started, 1, 'one engine run');
  assert.deepEqual(a.body, b.body, 'the same body');
  assert.deepEqual([a.headers.get('x-idempotent-replay'), b.headers.get('x-idempotent-replay')].sort(), [null, 'true']);
  await assertLedgerAddsUp(cluster.store, keyId, { successes: 1, priceMicros: PRICE, requestsThatReserved: 1 });
});

test('maxConcurrent 2 on a model across three replicas: never more than 2 engine runs at once', async () => {
  const { key, keyId } = await cluster.key('1');
  capped.resetCounts();
  const answers = await Promise.all(
    Array.from({ length: 12 }, (_, i) =>
      fetch(`${replicaUrl(i)}/api/v1/image/edit`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'capped-edit', prompt: 'negative', image }),
      }),
    ),
  );
  assert.deepEqual(
    answers.map((a) => a.status),
    Array(12).fill(200),
  );
  assert.equal(capped.started, 12);
  assert.equal(capped.mostActive, 2, 'the engine saw at most 2 runs at once (and the limit was reached)');
  await assertLedgerAddsUp(cluster.store, keyId, { successes: 12, priceMicros: PRICE, requestsThatReserved: 12 });
});
