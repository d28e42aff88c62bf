import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EngineRequest } from '../../src/engines/engine.js';
import { createTestApp, samplePng } from '../helpers/test-app.js';

/**
 * An engine run that cannot be interrupted (a libvips operation under way) keeps counting against its
 * model's capacity until it really ends: a timed-out or abandoned request must not let the next one start
 * beside it. (Found: a client that left freed its slot while its blur kept a core busy.)
 */
test('a timed-out run that ignores its signal holds the slot until it ends', async () => {
  const t = await createTestApp({
    config: {
      models: {
        'test-edit': { engine: 'scripted', priceUsd: 0.01, timeoutMs: 200, capacity: { maxConcurrent: 1, maxQueue: 4 } },
      },
    },
  });
  let active = 0;
  let mostAtOnce = 0;
  const starts: number[] = [];
  const started = performance.now();
  t.engine.run = async (request: EngineRequest) => {
    active++;
    mostAtOnce = Math.max(mostAtOnce, active);
    starts.push(performance.now() - started);
    // Deliberately deaf to request.signal, like native work that cannot be stopped.
    await new Promise((resolve) => setTimeout(resolve, 700));
    active--;
    return { kind: 'raw', image: request.images[0] };
  };
  const image = (await samplePng()).toString('base64');
  const send = () =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/image/edit',
      headers: t.auth,
      payload: { image, prompt: 'make it sepia', model: 'test-edit' },
    });

  const first = send();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const second = send();
  const [a, b] = await Promise.all([first, second]);
  assert.equal(a.statusCode, 504, a.body);
  assert.match(a.json().error, /did not finish within 200 ms/);
  assert.equal(mostAtOnce, 1, 'never two runs of a one-slot model at once');
  assert.ok(starts[1] >= 650, `the second run started at ${Math.round(starts[1])} ms, before the first really ended`);
  // The second run also outlives its 200 ms deadline: it times out too, uncharged.
  assert.equal(b.statusCode, 504);
  const balance = await t.store.getBalance(t.accountId);
  assert.equal(balance.reservedMicros, 0);
  await new Promise((resolve) => setTimeout(resolve, 800));
  await t.app.close();
});
