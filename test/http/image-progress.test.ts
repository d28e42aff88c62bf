import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApiKey } from '../../src/accounts/api-keys.js';
import { createTestApp, samplePng, type TestApp } from '../helpers/test-app.js';

/** GET /api/v1/image/progress/:token: a client follows its own running request, and only its own. */
describe('image progress', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => t?.app.close());

  const progress = (token: string, auth = t.auth) => t.app.inject({ url: `/api/v1/image/progress/${token}`, headers: auth });

  test('steps reported by the engine are readable while the request runs, and marked finished after', async () => {
    t.engine.delayMs = 600;
    const token = 'progress-test-token-1';
    const running = t.app.inject({
      method: 'POST',
      url: '/api/v1/image/upscale',
      headers: { ...t.auth, 'content-type': 'application/json', 'x-progress-token': token },
      payload: { image: (await samplePng(300, 300)).toString('base64'), scale: 2 },
    });
    let seen: { done: number; total: number; finished: boolean } | undefined;
    for (let i = 0; i < 40 && !seen?.total; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      const res = await progress(token);
      if (res.statusCode === 200) seen = res.json();
    }
    assert.deepEqual(seen, { done: 1, total: 2, finished: false });
    const answer = await running;
    t.engine.delayMs = 0;
    assert.equal(answer.statusCode, 200, answer.body);
    assert.deepEqual((await progress(token)).json(), { done: 2, total: 2, finished: true });

    // Another key cannot read it; an unknown token is 404; a malformed one 400.
    const other = await createApiKey(t.store, { name: 'other', creditsUsd: '1' });
    assert.equal((await progress(token, { authorization: `Bearer ${other.key}` })).statusCode, 404);
    assert.equal((await progress('never-used-token')).statusCode, 404);
    assert.equal((await progress('bad!')).statusCode, 400);
    assert.equal((await t.app.inject({ url: `/api/v1/image/progress/${token}` })).statusCode, 401);
  });
});
