import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { createRealApp, type RealApp } from '../helpers/real-app.js';

/**
 * /image/upscale on the real super-resolution engine: a request the cost model says would pass the time
 * limit is refused with 413 before any charge or inference, and says what would fit. Nothing here runs a
 * network (every request is refused up front), so the test is quick.
 */
describe('upscale admission', () => {
  let t: RealApp;
  before(async () => {
    t = await createRealApp('1', 'upscale-admission-test');
  });
  after(async () => t?.app.close());

  const jpeg = (width: number, height: number) =>
    sharp({ create: { width, height, channels: 3, background: { r: 90, g: 140, b: 200 } } })
      .jpeg()
      .toBuffer();

  test('too much work for the time limit: 413 with the estimate and what fits, nothing charged', async () => {
    const before = (await t.store.getBalance(t.accountId)).availableMicros;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/image/upscale',
      headers: { ...t.auth, 'content-type': 'application/json' },
      payload: { image: (await jpeg(2048, 2048)).toString('base64'), scale: 2 },
    });
    assert.equal(res.statusCode, 413, res.body);
    const body = res.json();
    assert.match(body.error, /would take about \d+ s on this server, more than the 120 s/);
    assert.match(body.error, /creativity 0 with this image/);
    assert.equal(body.limit_seconds, 120);
    assert.equal((await t.store.getBalance(t.accountId)).availableMicros, before);
  });
});
