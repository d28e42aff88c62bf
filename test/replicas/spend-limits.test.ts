import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createApiKey } from '../../src/accounts/api-keys.js';
import { assertLedgerAddsUp } from '../helpers/ledger.js';
import { samplePng } from '../helpers/test-app.js';
import { NginxProxy } from './nginx-proxy.js';
import { edit, ReplicaCluster, slowCutoutModel, slowModel } from './replica-cluster.js';
import { SlowUpstream } from './slow-upstream.js';

/**
 * Keys across three replicas behind nginx: a key's spend limit is exact however the requests spread
 * (it is checked in the reservation's atomic step, on the account's row), and a revocation or an expiry
 * holds on the very next request at every replica (keys are read from the database on every request).
 */
let cluster: ReplicaCluster;
let upstream: SlowUpstream;
let nginx: NginxProxy;
let image: string;
const PRICE = 10_000;
const SPEND_LIMIT_MESSAGE =
  'API key USD spend limit exceeded. Your account may still have USD balance, but this API key has reached its configured USD spending limit.';

before(async () => {
  upstream = await SlowUpstream.start(150);
  image = (await samplePng(320, 240)).toString('base64');
  cluster = await ReplicaCluster.create({
    defaultEditModel: 'slow-edit',
    rateLimits: { default: { requestsPerMinute: 1000 } },
    // What these tests prove is the accounting; Redis is up throughout. Its 1 s command timeout counts
    // from sending to the reply's callback, so a replica whose event loop is starved (40 bodies parsed at
    // once on a loaded 2-core machine) can declare a reply late that sits unread in its socket: the timer
    // phase runs before the I/O phase. That is the likely cause of the one odd answer (neither 200 nor 402)
    // this test gave under load: a 503 "shared limits cannot be checked" (reproduced with a 100 ms timeout
    // at load 10: 5 of 40). A longer timeout keeps such stalls out of this test;
    // test/replicas/faults.test.ts covers a Redis that is down.
    redis: { commandTimeoutMs: 10_000 },
    models: { 'slow-edit': slowModel(upstream.url), 'bg-remove': slowCutoutModel(upstream.url) },
  });
  await Promise.all([cluster.start(), cluster.start(), cluster.start()]);
  nginx = await NginxProxy.start(cluster.replicas.map((replica) => replica.port));
});
after(async () => {
  await nginx?.stop();
  await cluster?.close();
  await upstream?.close();
});

test('a key limited to five requests’ worth gets exactly five of forty through nginx, while its account holds far more', async () => {
  const { key, record } = await createApiKey(cluster.store, {
    creditsUsd: '10',
    limits: { usdMicros: 5 * PRICE, diem: null, period: 'EPOCH' },
  });
  const answers = await Promise.all(Array.from({ length: 40 }, () => edit(nginx.url, key, image)));
  const statuses = answers.map((a) => a.status);
  const odd = answers
    .filter((a) => a.status !== 200 && a.status !== 402)
    .map((a) => `${a.status} ${a.body.toString().slice(0, 200)}`);
  assert.deepEqual(odd, [], 'every answer is a 200 or a 402');
  assert.equal(statuses.filter((s) => s === 200).length, 5, statuses.join(','));
  assert.equal(statuses.filter((s) => s === 402).length, 35, statuses.join(','));
  for (const answer of answers.filter((a) => a.status === 402)) {
    assert.deepEqual(JSON.parse(answer.body.toString()), { error: SPEND_LIMIT_MESSAGE });
  }
  await assertLedgerAddsUp(cluster.store, record.id, { successes: 5, priceMicros: PRICE, requestsThatReserved: 5 });
  assert.equal((await cluster.store.getBalance(record.accountId)).balanceMicros, 10_000_000 - 5 * PRICE);
  assert.equal((await cluster.store.getKey(record.id))?.spendMicros, 5 * PRICE);
});

test('a key revoked through one replica is refused at once by every replica', async () => {
  const { key: adminKey, record: admin } = await createApiKey(cluster.store, { creditsUsd: '1', type: 'ADMIN' });
  const created = await fetch(`${cluster.replicas[0].url}/api/v1/api_keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ apiKeyType: 'INFERENCE', description: 'to revoke' }),
  });
  const { id, apiKey } = ((await created.json()) as { data: { id: string; apiKey: string } }).data;
  const before = await Promise.all(cluster.replicas.map((replica) => edit(replica.url, apiKey, image)));
  assert.deepEqual(
    before.map((a) => a.status),
    [200, 200, 200],
  );
  const revoked = await fetch(`${cluster.replicas[1].url}/api/v1/api_keys?id=${id}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${adminKey}` },
  });
  assert.equal(revoked.status, 200);
  const afterRevoke = await Promise.all([
    ...cluster.replicas.map((replica) => edit(replica.url, apiKey, image)),
    edit(nginx.url, apiKey, image),
  ]);
  assert.deepEqual(
    afterRevoke.map((a) => a.status),
    [401, 401, 401, 401],
  );
  const trail = await cluster.store.listAudit(admin.accountId);
  assert.deepEqual(
    trail.filter((row) => row.keyId === id).map((row) => [row.action, row.actor]),
    [
      ['create', admin.id],
      ['revoke', admin.id],
    ],
  );
});

test('a key past its expiry is refused by every replica from that moment', async () => {
  const expiresAt = new Date(Date.now() + 2_000).toISOString();
  const { key } = await createApiKey(cluster.store, { creditsUsd: '1', expiresAt });
  const live = await Promise.all(cluster.replicas.map((replica) => edit(replica.url, key, image)));
  assert.deepEqual(
    live.map((a) => a.status),
    [200, 200, 200],
  );
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(expiresAt) - Date.now()) + 50));
  const expired = await Promise.all(cluster.replicas.map((replica) => edit(replica.url, key, image)));
  assert.deepEqual(
    expired.map((a) => a.status),
    [401, 401, 401],
  );
});
