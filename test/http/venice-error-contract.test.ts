import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { createApiKey } from '../../src/accounts/api-keys.js';
import { createTestApp, multipartBody, samplePng, type TestApp } from '../helpers/test-app.js';

/** Venice's error contract of today (api-docs/venice-2026.md): 422 refusals, 413 shapes, the error budget. */

let png: Buffer;
before(async () => {
  png = await samplePng();
});

const TOO_MANY = 'Too many failed attempts (> 50) resulting in a non-success status code. Please wait 30 seconds and try again.';

describe('refusals and sizes', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ config: { inputs: { maxImageBytes: 1024 * 1024 } } });
  });
  after(async () => t.app.close());

  test("OpenAI's route answers a refused prompt as OpenAI does: 400 moderation_blocked", async () => {
    const body = multipartBody([
      { name: 'model', value: 'qwen-edit' },
      { name: 'prompt', value: 'make her fully n.u.d.e' },
      { name: 'image', value: png, filename: 'photo.png' },
    ]);
    const res = await t.app.inject({ method: 'POST', url: '/v1/images/edits', ...body, headers: { ...t.auth, ...body.headers } });
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().error.code, 'moderation_blocked');
  });

  test("a JSON body over 35 MB is refused before it is read, in Venice's words and shape", async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/image/edit',
      headers: { ...t.auth, 'content-type': 'application/json', 'content-length': String(35 * 1024 * 1024 + 1) },
      payload: '{}',
    });
    assert.equal(res.statusCode, 413);
    assert.deepEqual(res.json(), { error: 'Request body exceeds the maximum allowed size.' });
  });

  test("a multipart file over the upload limit: Venice's code and words", async () => {
    const body = multipartBody([
      { name: 'prompt', value: 'x' },
      { name: 'image', value: Buffer.alloc(1024 * 1024 + 10, 7), filename: 'big.png' },
    ]);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/image/edit',
      ...body,
      headers: { ...t.auth, ...body.headers },
    });
    assert.equal(res.statusCode, 413);
    assert.deepEqual(res.json(), { code: 'PAYLOAD_TOO_LARGE', error: 'File exceeds the maximum allowed size of 1 MB.' });
  });
});

describe("Venice's leniencies and strictness on the other routes", () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ creditsUsd: '10' });
  });
  after(async () => t.app.close());
  const post = (url: string, payload: object) => t.app.inject({ method: 'POST', url, payload, headers: t.auth });

  test('/image/upscale clamps creativity to 0-0.02 instead of refusing it; null is the default 0.01', async () => {
    const image = (await samplePng(320, 240)).toString('base64');
    for (const [creativity, applied] of [
      [0.5, 0.02],
      [-1, 0],
      [null, 0.01],
      ['0.015', 0.015],
    ] as const) {
      const res = await post('/api/v1/image/upscale', { image, scale: 2, creativity });
      assert.equal(res.statusCode, 200, `${creativity}: ${res.body}`);
      assert.equal(t.engine.lastOptions?.creativity, applied, String(creativity));
    }
  });

  test('/image/background-remove JSON takes exactly one of image and image_url', async () => {
    const image = png.toString('base64');
    for (const body of [{ image, image_url: 'https://example.com/a.png' }, {}]) {
      const res = await post('/api/v1/image/background-remove', body);
      assert.equal(res.statusCode, 400, res.body);
      assert.match(JSON.stringify(res.json()), /exactly one of image or image_url/);
    }
    assert.equal((await post('/api/v1/image/background-remove', { image })).statusCode, 200);
  });
});

describe('the error budget', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ creditsUsd: '100', config: { rateLimits: { enabled: false } } });
  });
  after(async () => t.app.close());

  const edit = (auth: Record<string, string>, body: unknown) =>
    t.app.inject({ method: 'POST', url: '/api/v1/image/edit', payload: body as object, headers: auth });

  test('51 failures of a key on a model within 30 s: that key and model get 429 until the window ends; others do not', async () => {
    const started = Date.now();
    for (let i = 1; i <= 51; i++) {
      const res = await edit(t.auth, { model: 'test-edit', image: png.toString('base64') }); // no prompt: 400
      assert.equal(res.statusCode, 400);
      assert.equal(res.headers['x-ratelimit-remaining'], String(Math.max(0, 50 - i)));
      const resets = Number(res.headers['x-ratelimit-resets']);
      assert.ok(resets >= started + 29_000 && resets <= Date.now() + 30_000, `x-ratelimit-resets ${resets} is Unix ms`);
    }
    const valid = { model: 'test-edit', prompt: 'make it brighter', image: png.toString('base64') };
    const blocked = await edit(t.auth, valid);
    assert.equal(blocked.statusCode, 429);
    assert.deepEqual(blocked.json(), { error: TOO_MANY });
    assert.equal(blocked.headers['x-ratelimit-remaining'], '0');
    const retryAfter = Number(blocked.headers['retry-after']);
    assert.ok(retryAfter >= 1 && retryAfter <= 30, String(retryAfter));
    const runs = t.engine.runs;
    assert.equal((await edit(t.auth, valid)).statusCode, 429, 'still blocked: the 429s themselves do not end it');
    assert.equal(t.engine.runs, runs, 'a blocked request does no work');

    // Another model of the same key, and the same model for another key, are served.
    assert.equal((await edit(t.auth, { ...valid, model: 'local-edit' })).statusCode, 200);
    const other = await createApiKey(t.store, { name: 'other', creditsUsd: '1' });
    assert.equal((await edit({ authorization: `Bearer ${other.key}` }, valid)).statusCode, 200);

    // The account's rate-limit log shows the block once, in Venice's shape; the refused retries add nothing.
    const admin = await createApiKey(t.store, { accountId: t.accountId, type: 'ADMIN' });
    const log = await t.app.inject({
      method: 'GET',
      url: '/api/v1/api_keys/rate_limits/log',
      headers: { authorization: `Bearer ${admin.key}` },
    });
    assert.equal(log.statusCode, 200);
    const rows = log.json().data as Array<Record<string, string>>;
    assert.deepEqual(
      rows.map((row) => [row.apiKeyId, row.modelId, row.rateLimitType, row.rateLimitTier]),
      [[t.keyId, 'test-edit', 'FAILED_REQUESTS', 'paid']],
    );
    const at = Date.parse(rows[0].timestamp);
    assert.ok(at >= started && at <= Date.now(), `timestamp ${rows[0].timestamp}`);
  });

  test('malformed JSON, a wrong Content-Type and 5xx do not count', async () => {
    const { key } = await createApiKey(t.store, { name: 'careless', creditsUsd: '10' });
    const auth = { authorization: `Bearer ${key}` };
    for (let i = 0; i < 60; i++) {
      const malformed = await t.app.inject({
        method: 'POST',
        url: '/api/v1/image/edit',
        headers: { ...auth, 'content-type': 'application/json' },
        payload: '{"prompt": "x", "image": ',
      });
      assert.equal(malformed.statusCode, 400);
      const wrongType = await t.app.inject({
        method: 'POST',
        url: '/api/v1/image/edit',
        headers: { ...auth, 'content-type': 'text/plain' },
        payload: 'make it brighter',
      });
      assert.equal(wrongType.statusCode, 415);
    }
    t.engine.failWhen = () => true;
    try {
      for (let i = 0; i < 55; i++) {
        const failed = await edit(auth, { model: 'test-edit', prompt: 'x', image: png.toString('base64') });
        assert.equal(failed.statusCode, 500);
        assert.equal(failed.headers['x-ratelimit-remaining'], '50');
      }
    } finally {
      t.engine.failWhen = () => false;
    }
    const res = await edit(auth, { model: 'test-edit', prompt: 'x', image: png.toString('base64') });
    assert.equal(res.statusCode, 200, res.body);
  });
});

describe('the error budget window', () => {
  test('each block is one row of the rate-limit log; a body naming no model is logged under the default model', async () => {
    const t = await createTestApp({ config: { errorBudget: { maxFailures: 2, windowMs: 400 } } });
    try {
      const admin = await createApiKey(t.store, { accountId: t.accountId, type: 'ADMIN' });
      const log = async () =>
        (
          await t.app.inject({
            method: 'GET',
            url: '/api/v1/api_keys/rate_limits/log',
            headers: { authorization: `Bearer ${admin.key}` },
          })
        ).json().data as Array<Record<string, string>>;
      const fail = async (times: number) => {
        for (let i = 0; i < times; i++) {
          const res = await t.app.inject({
            method: 'POST',
            url: '/api/v1/image/edit',
            payload: { image: png.toString('base64') }, // no model, no prompt: 400
            headers: t.auth,
          });
          assert.ok([400, 429].includes(res.statusCode), res.body);
        }
      };
      await fail(2);
      assert.deepEqual(await log(), [], 'within the budget: nothing to log');
      await fail(5); // the third failure blocks; the 429s after it are not failures
      assert.deepEqual(
        (await log()).map((row) => [row.apiKeyId, row.modelId, row.rateLimitType]),
        [[t.keyId, 'test-edit', 'FAILED_REQUESTS']],
      );
      await sleep(450); // the window ends; a second block is a second row, newest first
      await fail(3);
      const rows = await log();
      assert.equal(rows.length, 2);
      assert.ok(Date.parse(rows[0].timestamp) > Date.parse(rows[1].timestamp), JSON.stringify(rows));
    } finally {
      await t.app.close();
    }
  });

  test('passes: the key and model are served again once it ends', async () => {
    const t = await createTestApp({ config: { errorBudget: { maxFailures: 2, windowMs: 400 } } });
    try {
      const bad = { model: 'test-edit', image: png.toString('base64') };
      for (let i = 0; i < 3; i++) {
        const res = await t.app.inject({ method: 'POST', url: '/api/v1/image/edit', payload: bad, headers: t.auth });
        assert.equal(res.statusCode, 400);
      }
      const good = { ...bad, prompt: 'make it brighter' };
      const blocked = await t.app.inject({ method: 'POST', url: '/api/v1/image/edit', payload: good, headers: t.auth });
      assert.equal(blocked.statusCode, 429);
      assert.match(blocked.json().error, /^Too many failed attempts \(> 2\)/);
      await sleep(450);
      const served = await t.app.inject({ method: 'POST', url: '/api/v1/image/edit', payload: good, headers: t.auth });
      assert.equal(served.statusCode, 200, served.body);
    } finally {
      await t.app.close();
    }
  });
});
