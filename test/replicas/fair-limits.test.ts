import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createApiKey } from '../../src/accounts/api-keys.js';
import { samplePng } from '../helpers/test-app.js';
import { until } from '../helpers/until.js';
import { NginxProxy } from './nginx-proxy.js';
import { edit, ReplicaCluster, slowModel } from './replica-cluster.js';
import { SlowUpstream } from './slow-upstream.js';

/**
 * Three `retouch serve` processes behind nginx, on PostgreSQL and Redis: Venice's error budget, a GPU
 * server's `maxConcurrent` and fair queueing between accounts hold for the deployment, not per replica.
 */
let cluster: ReplicaCluster;
let upstream: SlowUpstream;
let gpu: SlowUpstream;
let queued: SlowUpstream;
let nginx: NginxProxy;
let image: string;

before(async () => {
  upstream = await SlowUpstream.start(20);
  gpu = await SlowUpstream.start(150);
  queued = await SlowUpstream.start(120);
  image = (await samplePng(320, 240)).toString('base64');
  const gpuModel = slowModel(gpu.url);
  gpuModel.options.endpoints[0].maxConcurrent = 2;
  cluster = await ReplicaCluster.create({
    defaultEditModel: 'slow-edit',
    rateLimits: { default: { requestsPerMinute: 5000 } },
    models: {
      'slow-edit': slowModel(upstream.url),
      'gpu-edit': gpuModel,
      'queued-edit': slowModel(queued.url, { maxConcurrent: 1, maxQueue: 16 }),
    },
  });
  await Promise.all([cluster.start(), cluster.start(), cluster.start()]);
  nginx = await NginxProxy.start(cluster.replicas.map((replica) => replica.port));
});
after(async () => {
  await nginx?.stop();
  await cluster?.close();
  await upstream?.close();
  await gpu?.close();
  await queued?.close();
});

async function post(url: string, key: string, body: Record<string, unknown>) {
  const res = await fetch(`${url}/api/v1/image/edit`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

test('the error budget is shared: 51 failures spread by nginx over three replicas block the key and model on all three', async () => {
  const { key } = await cluster.key('5');
  const remaining: number[] = [];
  for (let i = 0; i < 51; i++) {
    const res = await post(nginx.url, key, { model: 'slow-edit', image }); // no prompt: 400
    assert.equal(res.status, 400, res.body);
    remaining.push(Number(res.headers.get('x-ratelimit-remaining')));
    assert.match(res.headers.get('x-ratelimit-resets') ?? '', /^\d{13}$/);
  }
  assert.deepEqual(
    remaining,
    Array.from({ length: 51 }, (_, i) => Math.max(0, 49 - i)),
    'one count for the deployment',
  );
  for (const replica of cluster.replicas) {
    const blocked = await post(replica.url, key, { model: 'slow-edit', prompt: 'make it a negative', image });
    assert.equal(blocked.status, 429, blocked.body);
    assert.match(JSON.parse(blocked.body).error, /^Too many failed attempts \(> 50\)/);
    assert.match(blocked.headers.get('retry-after') ?? '', /^\d+$/);
  }
  // Another key on the same model is served.
  const other = await cluster.key('1');
  assert.equal((await edit(nginx.url, other.key, image)).status, 200);
});

test('a block of the error budget is logged once for the deployment: 60 failures at once over three replicas, one row', async () => {
  const { key, accountId } = await cluster.key('5');
  const answers = await Promise.all(Array.from({ length: 60 }, () => post(nginx.url, key, { model: 'slow-edit', image })));
  // Most are counted 400s; a request checked after the 51st failure was counted is refused with 429 instead.
  assert.ok(
    answers.every((a) => a.status === 400 || a.status === 429),
    answers.map((a) => a.status).join(','),
  );
  const { key: adminKey } = await createApiKey(cluster.store, { accountId, type: 'ADMIN' });
  const log = await fetch(`${nginx.url}/api/v1/api_keys/rate_limits/log`, { headers: { authorization: `Bearer ${adminKey}` } });
  assert.equal(log.status, 200);
  const rows = ((await log.json()) as { data: Array<Record<string, string>> }).data;
  assert.deepEqual(
    rows.map((row) => [row.modelId, row.rateLimitType]),
    [['slow-edit', 'FAILED_REQUESTS']],
  );
});

test("a GPU server's maxConcurrent holds across replicas: 2 calls at once in all, not 2 per replica", async () => {
  const { key } = await cluster.key('5');
  gpu.resetCounts();
  const answers = await Promise.all(
    Array.from({ length: 12 }, (_, i) =>
      post(cluster.replicas[i % 3].url, key, { model: 'gpu-edit', prompt: 'make it a negative', image }),
    ),
  );
  assert.deepEqual(
    answers.map((a) => a.status),
    Array(12).fill(200),
  );
  assert.equal(gpu.mostActive, 2, `the GPU server saw ${gpu.mostActive} calls at once`);
});

test('fair between accounts across replicas: one account floods, another account is served next', async () => {
  const flood = await cluster.key('5');
  const other = await cluster.key('5');
  const order: string[] = [];
  const send = (who: string, key: string, i: number) =>
    post(cluster.replicas[i % 3].url, key, { model: 'queued-edit', prompt: 'make it a negative', image }).then((res) => {
      if (res.status === 200) order.push(who);
      return res.status;
    });
  queued.pause(); // the first edit holds the one slot until every request is queued
  const floodAnswers = Array.from({ length: 12 }, (_, i) => send('flood', flood.key, i));
  await until(() => queued.active === 1, 'the first edit to reach the upstream');
  await new Promise((resolve) => setTimeout(resolve, 300)); // the rest reach the queue
  const otherAnswer = send('other', other.key, 0);
  await new Promise((resolve) => setTimeout(resolve, 300));
  queued.resume();
  const statuses = await Promise.all([...floodAnswers, otherAnswer]);
  assert.deepEqual(statuses, Array(13).fill(200));
  assert.equal(order.indexOf('other'), 1, `served right after the running job: ${order.join(',')}`);
});
