import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createAccount, createApiKey } from '../../src/accounts/api-keys.js';
import { createTestApp, samplePng, type TestApp } from '../helpers/test-app.js';

/**
 * Venice's billing routes: the balance, the usage history (keyset pages, strict parameters, JSON and
 * CSV), the retired /billing/usage (410), and the model look-ups that share their shapes.
 */
let t: TestApp;
let admin: { authorization: string };
before(async () => {
  t = await createTestApp({ creditsUsd: '1', config: { rateLimits: { enabled: false } } });
  admin = { authorization: `Bearer ${(await createApiKey(t.store, { accountId: t.accountId, type: 'ADMIN' })).key}` };
  const image = (await samplePng(320, 240)).toString('base64');
  for (let i = 0; i < 12; i++) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/image/edit',
      headers: t.auth,
      payload: { prompt: `black and white ${i}`, image, model: 'test-edit' },
    });
    assert.equal(res.statusCode, 200);
  }
});
after(() => t?.app.close());

const get = (url: string, headers: Record<string, string> = admin) => t.app.inject({ method: 'GET', url, headers });

test('balance: the account’s USD, canConsume at $0.10 or more', async () => {
  const res = await get('/api/v1/billing/balance');
  assert.deepEqual(res.json(), {
    canConsume: true,
    consumptionCurrency: 'USD',
    balances: { diem: null, usd: 0.88, bundledCredits: null, earnedCredits: null },
    diemEpochAllocation: 0,
  });
});

test('usage history: oldest first, pages by cursor alone, the last page says nextCursor null', async () => {
  const first = await get('/api/v1/billing/usage-history?pageSize=10&startTimestamp=2020-01-01T00:00:00Z');
  assert.equal(first.statusCode, 200, first.body);
  const page1 = first.json();
  assert.equal(page1.data.length, 10);
  assert.deepEqual(page1.data[0], {
    timestamp: page1.data[0].timestamp,
    sku: 'test-edit-edit',
    units: 1,
    pricePerUnitUsd: 0.01,
    amount: -0.01,
    currency: 'USD',
    notes: 'API Inference',
    inferenceDetails: {
      requestId: page1.data[0].inferenceDetails.requestId,
      inferenceExecutionTime: page1.data[0].inferenceDetails.inferenceExecutionTime,
      promptTokens: null,
      completionTokens: null,
    },
  });
  const times = page1.data.map((row: { timestamp: string }) => row.timestamp);
  assert.deepEqual(times, [...times].sort(), 'oldest first');
  assert.match(page1.nextCursor, /^[A-Za-z0-9_-]+$/);
  const second = (await get(`/api/v1/billing/usage-history?cursor=${page1.nextCursor}`)).json();
  assert.equal(second.data.length, 2);
  assert.equal(second.nextCursor, null);
  const ids = [...page1.data, ...second.data].map(
    (row: { inferenceDetails: { requestId: string } }) => row.inferenceDetails.requestId,
  );
  assert.equal(new Set(ids).size, 12, 'no gap and no overlap');
  const windowed = (await get(`/api/v1/billing/usage-history?endTimestamp=${encodeURIComponent(times[0])}`)).json();
  assert.deepEqual(windowed.data, [], 'the end is exclusive');
});

test('usage history refuses a cursor with filters, unknown parameters, bad values and other accounts’ cursors', async () => {
  const page = (await get('/api/v1/billing/usage-history?pageSize=10')).json();
  const refusals: Array<[string, RegExp]> = [
    [`cursor=${page.nextCursor}&pageSize=10`, /cursor alone/],
    ['page=2', /Invalid request parameters/],
    ['pageSize=5', /Invalid request parameters/],
    ['pageSize=1001', /Invalid request parameters/],
    ['currency=VCU', /Invalid request parameters/],
    ['startTimestamp=2026-01-01', /Invalid request parameters/],
    ['startTimestamp=2026-02-01T00:00:00Z&endTimestamp=2026-01-01T00:00:00Z', /Invalid request parameters/],
    ['cursor=not-a-cursor', /^Invalid or expired cursor; restart from the first page$/],
  ];
  for (const [query, message] of refusals) {
    const res = await get(`/api/v1/billing/usage-history?${query}`);
    assert.equal(res.statusCode, 400, query);
    assert.match(res.json().error, message, query);
  }
  const stranger = await createApiKey(t.store, { accountId: (await createAccount(t.store)).id, type: 'ADMIN' });
  const foreign = await get(`/api/v1/billing/usage-history?cursor=${page.nextCursor}`, {
    authorization: `Bearer ${stranger.key}`,
  });
  assert.deepEqual([foreign.statusCode, foreign.json().error], [400, 'Invalid or expired cursor; restart from the first page']);
  const empty = (await get('/api/v1/billing/usage-history', { authorization: `Bearer ${stranger.key}` })).json();
  assert.deepEqual(empty, { data: [], nextCursor: null }, 'another account sees none of these charges');
  assert.deepEqual((await get('/api/v1/billing/usage-history?currency=DIEM')).json(), { data: [], nextCursor: null });
});

test('usage history as CSV: Venice’s columns, an attachment, the cursor in x-next-cursor', async () => {
  const res = await get('/api/v1/billing/usage-history?pageSize=10', { ...admin, accept: 'text/csv' });
  assert.equal(res.statusCode, 200);
  assert.match(res.headers['content-type'] as string, /^text\/csv/);
  assert.match(res.headers['content-disposition'] as string, /^attachment; filename=billing-usage-history-\d{8}T\d{6}Z\.csv$/);
  const lines = res.body.trim().split('\r\n');
  assert.equal(
    lines[0],
    'timestamp,sku,pricePerUnitUsd,units,amount,currency,notes,inferenceDetails.requestId,inferenceDetails.inferenceExecutionTime,inferenceDetails.promptTokens,inferenceDetails.completionTokens',
  );
  assert.equal(lines.length, 11);
  assert.match(lines[1], /^\d{4}-[^,]+,test-edit-edit,0\.01,1,-0\.01,USD,API Inference,[0-9a-f-]+,\d+,,$/);
  const rest = await get(`/api/v1/billing/usage-history?cursor=${res.headers['x-next-cursor']}`, {
    ...admin,
    accept: 'text/csv',
  });
  assert.equal(rest.body.trim().split('\r\n').length, 3);
  assert.equal(rest.headers['x-next-cursor'], undefined, 'absent on the last page');
});

test('GET /billing/usage is retired: 410 with Deprecation, Sunset and the successor, with or without a key', async () => {
  for (const headers of [{}, admin]) {
    const res = await get('/api/v1/billing/usage?page=1', headers);
    assert.equal(res.statusCode, 410);
    assert.equal(res.headers.deprecation, '@1783555200');
    assert.equal(res.headers.sunset, 'Wed, 16 Sep 2026 00:00:00 GMT');
    assert.match(res.headers.link as string, /<\/api\/v1\/billing\/usage-history>; rel="successor-version"/);
    assert.match(res.json().error, /usage-history/);
  }
});

test('model traits and compatibility mapping, per type, in Venice’s list shape', async () => {
  const traits = await get('/api/v1/models/traits?type=inpaint', {});
  assert.deepEqual(traits.json(), { object: 'list', type: 'inpaint', data: { default: 'test-edit' } });
  assert.deepEqual((await get('/api/v1/models/traits?type=background-removal', {})).json().data, { default: 'test-bg' });
  const mapping = await get('/api/v1/models/compatibility_mapping?type=inpaint', {});
  // The OpenAI names of the default compatibilityMapping resolve to the default edit model.
  assert.deepEqual(mapping.json(), {
    object: 'list',
    type: 'inpaint',
    data: { 'dall-e-2': 'test-edit', 'gpt-image-1': 'test-edit', 'gpt-image-1-mini': 'test-edit', 'gpt-image-1.5': 'test-edit' },
  });
  assert.equal((await get('/api/v1/models/traits?type=video', {})).statusCode, 400);
});

test('the rate-limit log lists the account’s refusals by a rate limit, newest first', async () => {
  const limited = await createTestApp({ config: { rateLimits: { default: { requestsPerMinute: 1 } } } });
  try {
    const adminKey = await createApiKey(limited.store, { accountId: limited.accountId, type: 'ADMIN' });
    const models = () => limited.app.inject({ method: 'GET', url: '/api/v1/api_keys/rate_limits', headers: limited.auth });
    assert.deepEqual([(await models()).statusCode, (await models()).statusCode], [200, 429]);
    // The breach is written after the 429 is sent.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const log = await limited.app.inject({
      method: 'GET',
      url: '/api/v1/api_keys/rate_limits/log',
      headers: { authorization: `Bearer ${adminKey.key}` },
    });
    assert.deepEqual(
      log.json().data.map((row: Record<string, string>) => [row.apiKeyId, row.modelId, row.rateLimitType]),
      [[limited.keyId, 'endpoint:api/v1/api_keys/rate_limits', 'RPM']],
    );
  } finally {
    await limited.app.close();
  }
});

test('GET /openapi.json describes every key-management, billing and model look-up route', async () => {
  const { paths } = (await get('/openapi.json', {})).json();
  const expected: Record<string, string[]> = {
    '/api/v1/api_keys': ['get', 'post', 'patch', 'delete'],
    '/api/v1/api_keys/{id}': ['get'],
    '/api/v1/api_keys/rate_limits': ['get'],
    '/api/v1/api_keys/rate_limits/log': ['get'],
    '/api/v1/billing/balance': ['get'],
    '/api/v1/billing/usage-history': ['get'],
    '/api/v1/billing/usage': ['get'],
    '/api/v1/models/traits': ['get'],
    '/api/v1/models/compatibility_mapping': ['get'],
  };
  for (const [path, methods] of Object.entries(expected)) {
    assert.deepEqual(Object.keys(paths[path] ?? {}).sort(), [...methods].sort(), path);
  }
  assert.deepEqual(paths['/api/v1/api_keys'].post.requestBody.content['application/json'].schema.required.sort(), [
    'apiKeyType',
    'description',
  ]);
});
