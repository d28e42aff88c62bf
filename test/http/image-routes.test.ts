import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { createTestApp, multipartBody, samplePng, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let png: Buffer;
before(async () => {
  t = await createTestApp({ creditsUsd: '100', config: { bodyLimitBytes: 8 * 1024 * 1024 } });
  png = await samplePng();
});
after(async () => t.app.close());

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, payload: body as any, headers: { ...t.auth, ...headers } });

describe('successful requests', () => {
  test('JSON edit with base64 returns a PNG of the same size with Venice headers', async () => {
    const res = await post('/api/v1/image/edit', { prompt: 'make it black and white', image: png.toString('base64') });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], 'image/png');
    assert.match(String(res.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    assert.equal(res.headers['x-retouch-charged-usd'], '0.01');
    assert.ok(res.headers['x-venice-balance-usd']);
    const meta = await sharp(res.rawPayload).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 320, 240]);
  });

  test('a data: URI is accepted as an image', async () => {
    const res = await post('/api/v1/image/edit', { prompt: 'x', image: `data:image/png;base64,${png.toString('base64')}` });
    assert.equal(res.statusCode, 200, res.body);
  });

  test('edit: model wins over its deprecated alias modelId', async () => {
    const res = await post('/api/v1/image/edit', {
      prompt: 'x',
      image: png.toString('base64'),
      model: 'qwen-edit',
      modelId: 'local-edit',
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['x-retouch-charged-usd'], '0.04');
  });

  test("multi-edit takes modelId only: JSON with two images; a model field is Venice's 400", async () => {
    const images = [png.toString('base64'), png.toString('base64')];
    const res = await post('/api/v1/image/multi-edit', { prompt: 'combine', images, modelId: 'qwen-edit' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['x-retouch-charged-usd'], '0.04');
    const refused = await post('/api/v1/image/multi-edit', { prompt: 'combine', images, model: 'qwen-edit' });
    assert.equal(refused.statusCode, 400, refused.body);
    assert.equal(refused.json().error, 'Invalid request parameters');
    assert.match(JSON.stringify(refused.json().issues), /model/);
  });

  test('multipart edit and multi-edit with repeated images parts', async () => {
    const edit = multipartBody([
      { name: 'prompt', value: 'make it brighter' },
      { name: 'image', value: png, filename: 'input.png' },
    ]);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/image/edit',
      ...edit,
      headers: { ...edit.headers, ...t.auth },
    });
    assert.equal(res.statusCode, 200, res.body);
    const multi = multipartBody([
      { name: 'modelId', value: 'qwen-edit' },
      { name: 'prompt', value: 'put the logo on it' },
      { name: 'images', value: png, filename: 'street-scene.png' },
      { name: 'images', value: png, filename: 'billboard-mask.png' },
    ]);
    const res2 = await t.app.inject({
      method: 'POST',
      url: '/api/v1/image/multi-edit',
      ...multi,
      headers: { ...multi.headers, ...t.auth },
    });
    assert.equal(res2.statusCode, 200, res2.body);
    assert.equal(res2.headers['x-retouch-charged-usd'], '0.04');
  });

  test('background removal by JSON image and by multipart upload', async () => {
    const res = await post('/api/v1/image/background-remove', { image: png.toString('base64') });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['x-retouch-charged-usd'], '0.02');
    const form = multipartBody([{ name: 'image', value: png, filename: 'product.jpg' }]);
    const res2 = await t.app.inject({
      method: 'POST',
      url: '/api/v1/image/background-remove',
      ...form,
      headers: { ...form.headers, ...t.auth },
    });
    assert.equal(res2.statusCode, 200, res2.body);
  });
});

describe('4xx paths', () => {
  test('401 without a key, with an unknown key, and with a revoked key', async () => {
    const body = { prompt: 'x', image: png.toString('base64') };
    const none = await t.app.inject({ method: 'POST', url: '/api/v1/image/edit', payload: body });
    assert.equal(none.statusCode, 401);
    assert.match(none.json().error, /Authentication failed/);
    const unknown = await post('/api/v1/image/edit', body, { authorization: 'Bearer rt_not-a-real-key' });
    assert.equal(unknown.statusCode, 401);
    const { createApiKey } = await import('../../src/accounts/api-keys.js');
    const revoked = await createApiKey(t.store, { creditsUsd: '1' });
    await t.store.revokeKey(revoked.record.id);
    const res = await post('/api/v1/image/edit', body, { authorization: `Bearer ${revoked.key}` });
    assert.equal(res.statusCode, 401);
    assert.ok(res.headers['x-request-id']);
  });

  test('415 for a content type other than JSON or multipart', async () => {
    const res = await post('/api/v1/image/edit', 'prompt=x', { 'content-type': 'text/plain' });
    assert.equal(res.statusCode, 415);
    assert.match(res.json().error, /content type/i);
    const form = await post('/api/v1/image/edit', 'prompt=x', { 'content-type': 'application/x-www-form-urlencoded' });
    assert.equal(form.statusCode, 415);
  });

  test('400 for malformed JSON', async () => {
    const res = await post('/api/v1/image/edit', '{"prompt": ', { 'content-type': 'application/json' });
    assert.equal(res.statusCode, 400);
    assert.match(res.json().error, /JSON/);
  });

  test('400 validation errors in Venice shape with zod details and issues', async () => {
    const res = await post('/api/v1/image/edit', { image: png.toString('base64') });
    assert.equal(res.statusCode, 400);
    const body = res.json();
    assert.equal(body.error, 'Invalid request parameters');
    assert.ok(body.details.prompt._errors.length > 0);
    assert.deepEqual(body.issues[0].path, ['prompt']);
  });

  test('400 for an empty or over-long prompt and for a bad aspect ratio', async () => {
    const image = png.toString('base64');
    assert.equal((await post('/api/v1/image/edit', { prompt: '', image })).statusCode, 400);
    assert.equal((await post('/api/v1/image/edit', { prompt: 'x'.repeat(32_769), image })).statusCode, 400);
    const ratio = await post('/api/v1/image/edit', { prompt: 'x', image, aspect_ratio: '7:5' });
    assert.equal(ratio.statusCode, 400);
    // 16:9 is a valid ratio, but test-edit only declares auto and 1:1.
    const unsupported = await post('/api/v1/image/edit', { prompt: 'x', image, aspect_ratio: '16:9' });
    assert.equal(unsupported.statusCode, 400);
    assert.match(unsupported.json().error, /not supported by test-edit/);
  });

  test('400 for an unknown model', async () => {
    const res = await post('/api/v1/image/edit', { prompt: 'x', image: png.toString('base64'), model: 'no-such-model' });
    assert.equal(res.statusCode, 400);
    assert.match(res.json().error, /Unknown model "no-such-model"/);
  });

  test('400 for a wrong image count in multi-edit', async () => {
    const image = png.toString('base64');
    const none = await post('/api/v1/image/multi-edit', { prompt: 'x', images: [] });
    assert.equal(none.statusCode, 400);
    const four = await post('/api/v1/image/multi-edit', { prompt: 'x', images: [image, image, image, image] });
    assert.equal(four.statusCode, 400);
    assert.equal(four.json().error, 'Invalid request parameters');
  });

  test('400 for background removal with both or neither of image and image_url', async () => {
    const image = png.toString('base64');
    const both = await post('/api/v1/image/background-remove', { image, image_url: 'https://example.com/a.png' });
    assert.equal(both.statusCode, 400);
    assert.match(JSON.stringify(both.json()), /exactly one of image or image_url/);
    assert.equal((await post('/api/v1/image/background-remove', {})).statusCode, 400);
  });

  test('400 for undecodable images and for too few pixels', async () => {
    const garbage = await post('/api/v1/image/edit', { prompt: 'x', image: 'this is not an image at all' });
    assert.equal(garbage.statusCode, 400);
    const small = await samplePng(100, 100);
    const tiny = await post('/api/v1/image/edit', { prompt: 'x', image: small.toString('base64') });
    assert.equal(tiny.statusCode, 400);
    assert.match(tiny.json().error, /65,?536/);
  });

  test("413 for a JSON body over the limit, in Venice's shape for it", async () => {
    const res = await post('/api/v1/image/edit', { prompt: 'x', image: 'A'.repeat(9 * 1024 * 1024) });
    assert.equal(res.statusCode, 413);
    assert.deepEqual(res.json(), { error: 'Request body exceeds the maximum allowed size.' });
  });

  test('404 in the same JSON shape for an unknown route', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/nope', headers: t.auth });
    assert.equal(res.statusCode, 404);
    assert.ok(res.json().error);
  });
});

describe('5xx paths', () => {
  test('500 on engine failure without leaking internals, and no charge', async () => {
    const before = await t.store.getBalance(t.accountId);
    t.engine.failWhen = () => true;
    try {
      const res = await post('/api/v1/image/edit', { prompt: 'x', image: png.toString('base64') });
      assert.equal(res.statusCode, 500);
      assert.deepEqual(res.json(), { error: 'Inference processing failed' });
      assert.doesNotMatch(res.body, /secret|internal\/path|stack/);
    } finally {
      t.engine.failWhen = () => false;
    }
    assert.equal((await t.store.getBalance(t.accountId)).balanceMicros, before.balanceMicros);
  });

  test('503 while the model is offline', async () => {
    t.engine.online = false;
    try {
      const res = await post('/api/v1/image/edit', { prompt: 'x', image: png.toString('base64') });
      assert.equal(res.statusCode, 503);
      assert.match(res.json().error, /temporarily offline/);
      assert.equal(res.headers['retry-after'], '30'); // transient: a configured backend that is down
    } finally {
      t.engine.online = true;
    }
  });
});

describe('content policy', () => {
  test("a blocked prompt is Venice's 422 on edit and multi-edit, naming the category, before any charge or work", async () => {
    const before = await t.store.getBalance(t.accountId);
    const runs = t.engine.runs;
    const image = png.toString('base64');
    const edit = await post('/api/v1/image/edit', { prompt: 'make her fully n.u.d.e', image, model: 'qwen-edit' });
    const multi = await post('/api/v1/image/multi-edit', {
      prompt: 'make her fully n.u.d.e',
      images: [image],
      modelId: 'qwen-edit',
    });
    for (const res of [edit, multi]) {
      assert.equal(res.statusCode, 422, res.body);
      assert.equal(res.headers['x-venice-is-content-violation'], 'true');
      assert.equal(res.json().error, 'Your prompt violates the content policy of Venice.ai or the model provider');
      assert.match(res.json().details, /content policy.*sexual/i);
    }
    assert.equal(t.engine.runs, runs);
    assert.equal((await t.store.getBalance(t.accountId)).balanceMicros, before.balanceMicros);
  });

  test('benign prompts that look alarming pass', async () => {
    for (const prompt of ['remove the shot glass', 'a bloody mary cocktail on the table', "kids' birthday cake"]) {
      const res = await post('/api/v1/image/edit', { prompt, image: png.toString('base64'), model: 'qwen-edit' });
      assert.equal(res.statusCode, 200, prompt);
    }
  });
});
