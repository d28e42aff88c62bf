import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, multipartBody, samplePng, type TestApp } from '../helpers/test-app.js';

/**
 * Bodies built to hurt the parser: deep nesting, broken multipart, loose types, oversize, missing keys.
 * Each must be a 4xx before any work (no engine run, no reservation), never a 5xx.
 */
describe('hostile bodies', () => {
  let t: TestApp;
  let image: string;
  const json = (payload: string, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/image/edit',
      headers: { ...t.auth, 'content-type': 'application/json', ...headers },
      payload,
    });

  before(async () => {
    t = await createTestApp({ config: { bodyLimitBytes: 2 * 1024 * 1024 } });
    image = (await samplePng()).toString('base64');
  });
  after(() => t.app.close());

  async function assertRefusedBeforeWork(res: { statusCode: number; body: string }, status: number, message: RegExp) {
    assert.equal(res.statusCode, status, res.body.slice(0, 300));
    assert.match(JSON.parse(res.body).error, message);
    assert.equal(t.engine.runs, 0, 'no engine ran');
    const balance = await t.store.getBalance(t.accountId);
    assert.equal(balance.reservedMicros, 0);
  }

  test('deep nesting is refused with a 400, wherever it is', async () => {
    const deepObject = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    const deepArray = '['.repeat(100_000) + ']'.repeat(100_000);
    for (const payload of [
      `{"prompt":"make it sepia","image":"${image}","junk":${deepObject}}`,
      `{"prompt":${deepArray},"image":"${image}"}`,
      `{"prompt":"make it sepia","image":${deepArray}}`,
      // Unbalanced: the body never closes its brackets.
      `{"prompt":"x","image":${'['.repeat(5_000)}`,
    ]) {
      await assertRefusedBeforeWork(await json(payload), 400, /nested deeper than 64 levels/);
    }
  });

  test('brackets and escaped quotes inside strings are not nesting', async () => {
    const prompt = `make it sepia ${'[{'.repeat(200)} \\"${'{'.repeat(100)}\\\\`;
    const res = await json(JSON.stringify({ prompt: JSON.parse(`"${prompt}"`), image, model: 'test-edit' }));
    // The prompt itself is then judged by the engine's rules; what matters is that it was parsed.
    assert.notEqual(res.statusCode, 500);
    assert.doesNotMatch(res.body, /nested deeper/);
    t.engine.runs = 0;
  });

  test('prototype keys are refused', async () => {
    const res = await json(`{"prompt":"make it sepia","image":"${image}","__proto__":{"admin":true}}`);
    await assertRefusedBeforeWork(res, 400, /not valid JSON|Invalid request/);
  });

  test('a declared body larger than the limit is refused before it is read', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/image/edit',
      headers: { ...t.auth, 'content-type': 'application/json', 'content-length': String(3 * 1024 * 1024) },
      payload: '{}',
    });
    assert.equal(res.statusCode, 413);
    const streamed = await json(`{"prompt":"x","image":"${'A'.repeat(3 * 1024 * 1024)}"}`);
    await assertRefusedBeforeWork(streamed, 413, /^Request body exceeds the maximum allowed size\.$/);
  });

  test('malformed multipart is a 400, not a 500', async () => {
    const good = multipartBody([
      { name: 'prompt', value: 'make it sepia' },
      { name: 'image', value: Buffer.from(image, 'base64'), filename: 'a.png' },
    ]);
    const cases: Array<[string, Buffer, RegExp]> = [
      ['multipart/form-data', good.payload, /needs a boundary/],
      ['multipart/form-data; boundary=', good.payload, /needs a boundary|Invalid request parameters/],
      [`multipart/form-data; boundary=${'x'.repeat(300)}`, good.payload, /needs a boundary/],
      ['multipart/form-data; boundary=not-the-one', good.payload, /closing boundary|Invalid request parameters/],
      [good.headers['content-type'], good.payload.subarray(0, good.payload.length - 40), /closing boundary/],
      [
        good.headers['content-type'],
        Buffer.from('garbage without any boundary at all'),
        /closing boundary|Invalid request parameters/,
      ],
    ];
    for (const [contentType, payload, message] of cases) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/image/edit',
        headers: { ...t.auth, 'content-type': contentType },
        payload,
      });
      await assertRefusedBeforeWork(res, 400, message);
    }
  });

  test('many large multipart fields add up against the body limit', async () => {
    const fields = Array.from({ length: 12 }, (_, i) => ({ name: `junk${i}`, value: 'x'.repeat(300_000) }));
    const body = multipartBody([{ name: 'prompt', value: 'make it sepia' }, ...fields]);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/image/edit',
      headers: { ...t.auth, ...body.headers },
      payload: body.payload,
    });
    await assertRefusedBeforeWork(res, 413, /too large/);
  });

  test('seed must be an integer: null, [], "", " ", 1.5, -1 are refused; 7 and "7" accepted', async () => {
    for (const seed of [null, [], '', ' ', 1.5, -1, '0x10', {}]) {
      const res = await json(JSON.stringify({ prompt: 'make it sepia', image, seed }));
      await assertRefusedBeforeWork(res, 400, /Invalid request parameters/);
      assert.match(res.body, /integer seed|Too small/);
    }
    for (const seed of [7, '7']) {
      const res = await json(JSON.stringify({ prompt: 'make it sepia', image, seed }));
      assert.equal(res.statusCode, 200, res.body);
    }
    const form = multipartBody([
      { name: 'prompt', value: 'make it sepia' },
      { name: 'seed', value: '' },
      { name: 'image', value: Buffer.from(image, 'base64'), filename: 'a.png' },
    ]);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/image/edit',
      headers: { ...t.auth, ...form.headers },
      payload: form.payload,
    });
    assert.equal(res.statusCode, 400);
    t.engine.runs = 0;
  });

  test('every route without a key is a 401, the OpenAI route in its own error shape', async () => {
    const form = multipartBody([
      { name: 'prompt', value: 'make it sepia' },
      { name: 'image', value: Buffer.from(image, 'base64'), filename: 'a.png' },
    ]);
    for (const url of ['/api/v1/image/edit', '/api/v1/image/multi-edit', '/api/v1/image/background-remove', '/v1/images/edits']) {
      for (const request of [
        { headers: form.headers, payload: form.payload },
        { headers: { 'content-type': 'application/json' }, payload: '{"prompt":"x"}' },
        { headers: { 'content-type': 'text/plain' }, payload: 'hello' },
        { headers: { authorization: 'Bearer' }, payload: undefined },
        { headers: { authorization: 'Basic dXNlcjpwYXNz' }, payload: undefined },
      ]) {
        const res = await t.app.inject({ method: 'POST', url, ...request });
        assert.equal(res.statusCode, 401, `${url} ${JSON.stringify(request.headers)}: ${res.body}`);
        const body = res.json();
        if (url.startsWith('/v1/')) assert.equal(body.error.code, 'invalid_api_key');
        else assert.match(body.error, /Authentication failed/);
      }
    }
  });
});
