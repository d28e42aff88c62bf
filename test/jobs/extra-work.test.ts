import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, samplePng, type TestApp } from '../helpers/test-app.js';
import { until } from '../helpers/until.js';

/**
 * Work a prompt asks of another model (Engine.extraWork: local-edit's "upscale it 2x" is the upscale
 * model's work) is charged at that model's price, waits in that model's capacity queue and has the longer
 * time limit. Gateway behaviour, so a scripted engine stands in: prompts with "upscale" owe the upscaler.
 */

let t: TestApp;
let image: string;

before(async () => {
  t = await createTestApp({
    config: {
      models: {
        'test-edit': { engine: 'scripted', priceUsd: 0.01, timeoutMs: 400, capacity: { maxConcurrent: 1, maxQueue: 8 } },
        upscaler: { engine: 'scripted', priceUsd: 0.02, type: 'upscale', timeoutMs: 20_000, capacity: { maxConcurrent: 1 } },
      },
    },
  });
  t.engine.extraWorkFor = (prompt) => (prompt.includes('upscale') ? { surchargeMicros: 20_000, model: 'upscaler' } : null);
  image = (await samplePng(320, 240)).toString('base64');
});
after(() => t.app.close());

const edit = (prompt: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/image/edit', headers: t.auth, payload: { image, prompt, model: 'test-edit' } });

test("the charge adds the other model's price for the work", async () => {
  const plain = await edit('make it sepia');
  assert.equal(plain.statusCode, 200, plain.body);
  assert.equal(plain.headers['x-retouch-charged-usd'], '0.01');
  const upscaled = await edit('make it sepia and upscale it');
  assert.equal(upscaled.statusCode, 200, upscaled.body);
  assert.equal(upscaled.headers['x-retouch-charged-usd'], '0.03');
});

test("it has the other model's longer time limit (the edit's own is 400 ms)", async () => {
  t.engine.delayMsFor = (prompt) => (prompt.includes('upscale') ? 1_000 : 0);
  try {
    const res = await edit('upscale it');
    assert.equal(res.statusCode, 200, res.body);
  } finally {
    t.engine.delayMsFor = () => 0;
  }
});

test("it waits in the other model's queue: a quick edit is not held up behind it", async () => {
  t.engine.delayMsFor = (prompt) => (prompt.includes('upscale') ? 3_000 : 0);
  try {
    const finished: string[] = [];
    const long = edit('upscale it').then((res) => {
      finished.push('upscale');
      return res;
    });
    // Once the long one holds a slot (on a busy machine, however long that takes), send the quick one.
    await until(() => t.engine.active > 0, 'a request in the engine');
    assert.equal(t.engine.active, 1);
    const quick = await edit('make it sepia');
    finished.push('quick');
    assert.equal(quick.statusCode, 200, quick.body);
    assert.equal((await long).statusCode, 200);
    // With one slot for test-edit, the quick edit would have waited for the upscale to end.
    assert.deepEqual(finished, ['quick', 'upscale']);
  } finally {
    t.engine.delayMsFor = () => 0;
  }
});
