import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertLedgerAddsUp } from '../helpers/ledger.js';
import { samplePng } from '../helpers/test-app.js';
import { edit, ReplicaCluster, slowCutoutModel, slowModel } from './replica-cluster.js';
import { NginxProxy } from './nginx-proxy.js';
import { SlowUpstream } from './slow-upstream.js';

/** Two replicas behind a real nginx running deploy/nginx/retouch.conf; every request goes through nginx. */
let cluster: ReplicaCluster;
let upstream: SlowUpstream;
let nginx: NginxProxy;
let image: string;
const PRICE = 10_000;

before(async () => {
  upstream = await SlowUpstream.start(150);
  image = (await samplePng(320, 240)).toString('base64');
  cluster = await ReplicaCluster.create({
    defaultEditModel: 'slow-edit',
    rateLimits: { default: { requestsPerMinute: 1000 } },
    models: { 'slow-edit': slowModel(upstream.url), 'bg-remove': slowCutoutModel(upstream.url) },
  });
  await Promise.all([cluster.start(), cluster.start()]);
  nginx = await NginxProxy.start(cluster.replicas.map((replica) => replica.port));
});
after(async () => {
  await nginx?.stop();
  await cluster?.close();
  await upstream?.close();
});

/** Edits answered by one replica, read from its own /metrics. */
async function editsServedBy(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return [...text.matchAll(/^retouch_http_requests_total\{[^}]*route="edit"[^}]*status="200"[^}]*\} (\d+)/gm)].reduce(
    (sum, m) => sum + Number(m[1]),
    0,
  );
}

test('requests through nginx reach both replicas and are billed once each', async () => {
  const { key, keyId } = await cluster.key('1');
  const answers = await Promise.all(Array.from({ length: 20 }, () => edit(nginx.url, key, image)));
  assert.deepEqual(
    answers.map((a) => a.status),
    Array(20).fill(200),
  );
  assert.equal(answers[0].headers.get('content-type'), 'image/png');
  assert.match(answers[0].headers.get('x-venice-balance-usd') ?? '', /^0\.\d+$/);
  const served = await Promise.all(cluster.replicas.map((replica) => editsServedBy(replica.url)));
  assert.equal(served[0] + served[1], 20);
  assert.ok(
    served.every((n) => n > 0),
    `both replicas served: ${served}`,
  );
  await assertLedgerAddsUp(cluster.store, keyId, { successes: 20, priceMicros: PRICE, requestsThatReserved: 20 });
});

test("errors come through nginx unchanged: Venice's body, status and headers", async () => {
  const { key } = await cluster.key('0');
  const refused = await edit(nginx.url, key, image);
  assert.equal(refused.status, 402);
  assert.match(JSON.parse(refused.body.toString()).error, /Insufficient balance/);
  const unauthenticated = await edit(nginx.url, 'rt_wrong', image);
  assert.equal(unauthenticated.status, 401);
});

test('a replica that stops: nginx sends new requests to the other, none fails', async () => {
  const { key, keyId } = await cluster.key('1');
  const [stopped] = cluster.replicas;
  stopped.child.kill('SIGTERM');
  await stopped.exited;
  const answers = [];
  for (let i = 0; i < 6; i++) answers.push(await edit(nginx.url, key, image));
  assert.deepEqual(
    answers.map((a) => a.status),
    Array(6).fill(200),
  );
  await assertLedgerAddsUp(cluster.store, keyId, { successes: 6, priceMicros: PRICE, requestsThatReserved: 6 });
});
