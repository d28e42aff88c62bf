import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestApp, samplePng } from '../helpers/test-app.js';
import { until } from '../helpers/until.js';

/**
 * A request waiting for an engine slot holds its image encoded: pixels are decoded only once the slot is
 * its own. (Found: floods of 190 KB, 33-megapixel JPEGs each held ~100 MB of pixels in the queue: 5.2 GB RSS.)
 */
test('queued requests have not decoded their images; each decodes when it gets the slot', async () => {
  const t = await createTestApp({
    config: { models: { 'test-edit': { engine: 'scripted', priceUsd: 0.01, capacity: { maxConcurrent: 1, maxQueue: 8 } } } },
  });
  t.engine.delayMs = 1_500;
  let decoded = 0;
  const loader = t.app.services.imageLoader;
  const decode = loader.decode.bind(loader);
  loader.decode = async (image) => {
    decoded++;
    return decode(image);
  };

  const image = (await samplePng(400, 300)).toString('base64');
  const send = () =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/image/edit',
      headers: t.auth,
      payload: { image, prompt: 'make it sepia', model: 'test-edit' },
    });
  const answers = [send(), send(), send()];
  // Wait (on a busy machine, however long it takes) until the first request is in the engine.
  await until(() => t.engine.active > 0, 'a request in the engine');
  assert.equal(t.engine.active, 1);
  assert.equal(decoded, 1, 'only the request holding the slot has decoded its pixels');
  for (const answer of await Promise.all(answers)) assert.equal(answer.statusCode, 200);
  assert.equal(decoded, 3);

  // A file whose header is fine but whose pixels are corrupt is refused (400) after admission, uncharged.
  const png = await samplePng(400, 300);
  const corrupt = Buffer.concat([png.subarray(0, 200), Buffer.alloc(png.length - 200, 7)]).toString('base64');
  const before = await t.store.getBalance(t.accountId);
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/image/edit',
    headers: t.auth,
    payload: { image: corrupt, prompt: 'make it sepia', model: 'test-edit' },
  });
  assert.equal(res.statusCode, 400, res.body);
  assert.match(res.json().error, /could not be (decoded|read)/);
  const afterBalance = await t.store.getBalance(t.accountId);
  assert.deepEqual([afterBalance.balanceMicros, afterBalance.reservedMicros], [before.balanceMicros, 0]);
  await t.app.close();
});
