import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestApp, samplePng } from '../helpers/test-app.js';
import { until } from '../helpers/until.js';

test('a client that disconnects while its request runs is not charged and its work is aborted', async () => {
  const t = await createTestApp({
    creditsUsd: '1',
    config: {
      models: {
        slow: { engine: 'scripted', priceUsd: 0.5, capacity: { maxConcurrent: 1, maxQueue: 4, queueTimeoutMs: 10_000 } },
      },
    },
  });
  after(() => t.app.close());
  t.engine.delayMs = 2_000;
  const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
  const body = JSON.stringify({ prompt: 'x', image: (await samplePng()).toString('base64'), model: 'slow' });

  // Two requests: one running, then one queued behind it; both clients go away.
  const send = () => {
    const req = request(`${address}/api/v1/image/edit`, {
      method: 'POST',
      headers: { ...t.auth, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    req.on('error', () => {});
    req.end(body);
    return req;
  };
  const running = send();
  await until(() => t.engine.active === 1, 'the request at the engine', 5_000);
  const queued = send();
  await until(async () => (await t.store.getBalance(t.accountId)).reservedMicros === 1_000_000, 'the credit reserved', 5_000);
  // The queued client leaves first: it must be taken out of the queue, not handed the slot later.
  queued.destroy();
  await sleep(100);
  running.destroy();

  const deadline = Date.now() + 3_000;
  while (Date.now() < deadline && (await t.store.getBalance(t.accountId)).reservedMicros > 0) await sleep(20);
  const balance = await t.store.getBalance(t.accountId);
  assert.equal(balance.reservedMicros, 0);
  assert.equal(balance.balanceMicros, 1_000_000);
  assert.equal(t.engine.active, 0, 'the running engine call was aborted, not left running');
  assert.equal(t.engine.runs, 1, 'the queued request never reached the engine');
  const usage = await t.store.listUsage({ keyId: t.keyId });
  assert.equal(usage.length, 2);
  assert.ok(usage.every((u) => u.chargedMicros === 0 && u.status === 499));
});
