import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { createTestApp, samplePng, type TestApp } from '../helpers/test-app.js';

const apps: TestApp[] = [];
after(async () => Promise.all(apps.map((t) => t.app.close())));
async function app(options: Parameters<typeof createTestApp>[0]) {
  const t = await createTestApp(options);
  apps.push(t);
  return t;
}

async function ledgerAgrees(t: TestApp) {
  const balance = await t.store.getBalance(t.accountId);
  const totals = await t.store.ledgerTotals(t.accountId);
  assert.equal(balance.balanceMicros, totals.creditsMicros - totals.chargesMicros);
  assert.equal(balance.reservedMicros, 0);
}

describe('credits', () => {
  test('40 concurrent requests with credit for exactly 5: 5 succeed, 35 get 402, balance ends at zero', async () => {
    const t = await app({ creditsUsd: '0.05', config: { rateLimits: { enabled: false } } });
    t.engine.delayMs = 30;
    const image = (await samplePng()).toString('base64');
    const responses = await Promise.all(
      Array.from({ length: 40 }, () =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/image/edit',
          headers: t.auth,
          payload: { prompt: 'x', image, model: 'test-edit' },
        }),
      ),
    );
    const statuses = responses.map((r) => r.statusCode);
    assert.equal(statuses.filter((s) => s === 200).length, 5);
    assert.equal(statuses.filter((s) => s === 402).length, 35);
    const refused = responses.find((r) => r.statusCode === 402)!;
    assert.match(refused.json().error, /^Insufficient balance/);
    assert.equal((await t.store.getBalance(t.accountId)).balanceMicros, 0);
    const charges = (await t.store.listUsage({ keyId: t.keyId })).filter((u) => u.chargedMicros > 0);
    assert.equal(charges.length, 5);
    await ledgerAgrees(t);
  });

  test('an engine failing every other request charges only the successes', async () => {
    const t = await app({
      creditsUsd: '1',
      config: {
        rateLimits: { enabled: false },
        models: {
          'test-edit': {
            engine: 'scripted',
            priceUsd: 0.01,
            capacity: { maxConcurrent: 4, maxQueue: 20, queueTimeoutMs: 30_000 },
          },
        },
      },
    });
    t.engine.failWhen = (run) => run % 2 === 0;
    const image = (await samplePng()).toString('base64');
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/image/edit',
          headers: t.auth,
          payload: { prompt: 'x', image, model: 'test-edit' },
        }),
      ),
    );
    const ok = responses.filter((r) => r.statusCode === 200).length;
    assert.equal(ok, 10);
    assert.equal(responses.filter((r) => r.statusCode === 500).length, 10);
    assert.equal((await t.store.getBalance(t.accountId)).balanceMicros, 1_000_000 - ok * 10_000);
    const usage = await t.store.listUsage({ keyId: t.keyId });
    assert.ok(usage.filter((u) => u.status === 500).every((u) => u.chargedMicros === 0));
    await ledgerAgrees(t);
  });

  test('a free model (price 0) needs no credit', async () => {
    const t = await app({ creditsUsd: '0', config: { models: { free: { engine: 'scripted', priceUsd: 0 } } } });
    const image = (await samplePng()).toString('base64');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/image/edit',
      headers: t.auth,
      payload: { prompt: 'x', image, model: 'free' },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['x-retouch-charged-usd'], '0');
  });
});

describe('idempotency', () => {
  test('a repeat with the same Idempotency-Key replays without a second charge; another body is 422', async () => {
    const t = await app({ creditsUsd: '1' });
    const image = (await samplePng()).toString('base64');
    const send = (prompt: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/image/edit',
        headers: { ...t.auth, 'idempotency-key': 'order-42' },
        payload: { prompt, image, model: 'test-edit' },
      });
    const [first, second] = await Promise.all([send('x'), send('x')]);
    assert.equal(first.statusCode, 200);
    assert.equal(second.statusCode, 200);
    assert.deepEqual(first.rawPayload, second.rawPayload);
    assert.equal(t.engine.runs, 1);
    assert.equal((await t.store.getBalance(t.accountId)).balanceMicros, 990_000);
    const third = await send('x');
    assert.equal(third.headers['x-idempotent-replay'], 'true');
    assert.equal(third.headers['x-retouch-charged-usd'], '0');
    const conflict = await send('a different prompt');
    assert.equal(conflict.statusCode, 422);
    assert.equal(t.engine.runs, 1);
  });
});

describe('rate limits', () => {
  test('429 with Retry-After past the per-minute limit, and rate headers on every response', async () => {
    const t = await app({ config: { rateLimits: { default: { requestsPerMinute: 3 } } } });
    const image = (await samplePng()).toString('base64');
    const send = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/image/edit',
        headers: t.auth,
        payload: { prompt: 'x', image, model: 'test-edit' },
      });
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await send());
    assert.deepEqual(
      results.map((r) => r.statusCode),
      [200, 200, 200, 429],
    );
    assert.equal(results[0].headers['x-ratelimit-limit-requests'], '3');
    assert.equal(results[0].headers['x-ratelimit-remaining-requests'], '2');
    assert.equal(results[2].headers['x-ratelimit-remaining-requests'], '0');
    const limited = results[3];
    assert.ok(Number(limited.headers['retry-after']) >= 1);
    // Venice's unit: Unix milliseconds.
    const resetMs = Number(limited.headers['x-ratelimit-reset-requests']);
    assert.ok(resetMs > Date.now() && resetMs < Date.now() + 120_000, String(resetMs));
    assert.match(limited.json().error, /Rate limit exceeded/);
    // Buckets are per route: background removal is not limited by the edits.
    const bg = await t.app.inject({
      method: 'POST',
      url: '/api/v1/image/background-remove',
      headers: t.auth,
      payload: { image },
    });
    assert.equal(bg.statusCode, 200);
  });
});

describe('capacity', () => {
  test('503 with Retry-After when the queue is full, and the reservation released', async () => {
    const t = await app({
      creditsUsd: '1',
      config: {
        rateLimits: { enabled: false },
        models: {
          slow: { engine: 'scripted', priceUsd: 0.01, capacity: { maxConcurrent: 1, maxQueue: 1, queueTimeoutMs: 10_000 } },
        },
      },
    });
    t.engine.delayMs = 300;
    const image = (await samplePng()).toString('base64');
    const send = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/image/edit',
        headers: t.auth,
        payload: { prompt: 'x', image, model: 'slow' },
      });
    const responses = await Promise.all([send(), send(), send(), send()]);
    const statuses = responses.map((r) => r.statusCode).sort();
    assert.deepEqual(statuses, [200, 200, 503, 503]);
    const busy = responses.find((r) => r.statusCode === 503)!;
    assert.match(busy.json().error, /^Model at capacity/);
    assert.ok(Number(busy.headers['retry-after']) >= 1);
    assert.equal((await t.store.getBalance(t.accountId)).balanceMicros, 1_000_000 - 2 * 10_000);
    await ledgerAgrees(t);
  });
});
