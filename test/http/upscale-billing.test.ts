import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, samplePng, type TestApp } from '../helpers/test-app.js';

/**
 * The gateway's side of /image/upscale (pricing by the scale applied, refusals before any charge, no charge
 * for a failed run), on the scripted test engine so that large inputs cost no inference.
 */
describe('upscale billing', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({
      creditsUsd: '1',
      config: {
        upscaleModel: 'test-upscale',
        models: {
          'test-upscale': { engine: 'scripted', type: 'upscale', priceUsd: 0.02, upscalePricesUsd: { x2: 0.021, x4: 0.083 } },
        },
      },
    });
  });
  after(async () => t?.app.close());

  const balance = async () => (await t.store.getBalance(t.accountId)).availableMicros;
  const upscale = async (width: number, height: number, scale: number) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/image/upscale',
      headers: { ...t.auth, 'content-type': 'application/json' },
      payload: { image: (await samplePng(width, height)).toString('base64'), scale },
    });

  test('charged exactly at the scale applied: 4x, 2x, and 4x served as 2x when 4x would pass 16,777,216 pixels', async () => {
    for (const [width, height, scale, micros] of [
      [600, 500, 4, 83_000],
      [600, 500, 2, 21_000],
      [1100, 1000, 4, 21_000],
    ]) {
      const before = await balance();
      const res = await upscale(width, height, scale);
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(before - (await balance()), micros, `${width}x${height} at ${scale}x`);
      assert.equal(res.headers['x-retouch-charged-usd'], (micros / 1e6).toString());
    }
  });

  test('an image too large even for 2x is refused before any charge', async () => {
    const before = await balance();
    const res = await upscale(2100, 2100, 2);
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /4,194,304 input pixels/);
    assert.equal(await balance(), before);
  });

  test('a failed run is not charged', async () => {
    t.engine.failWhen = () => true;
    const before = await balance();
    const res = await upscale(300, 300, 2);
    t.engine.failWhen = () => false;
    assert.equal(res.statusCode, 500);
    assert.equal(await balance(), before);
  });

  test('not enough credit for 4x names the 4x price', async () => {
    const poor = await createTestApp({
      creditsUsd: '0.05',
      config: {
        upscaleModel: 'test-upscale',
        models: {
          'test-upscale': { engine: 'scripted', type: 'upscale', priceUsd: 0.02, upscalePricesUsd: { x2: 0.02, x4: 0.08 } },
        },
      },
    });
    const res = await poor.app.inject({
      method: 'POST',
      url: '/api/v1/image/upscale',
      headers: { ...poor.auth, 'content-type': 'application/json' },
      payload: { image: (await samplePng(300, 300)).toString('base64'), scale: 4 },
    });
    await poor.app.close();
    assert.equal(res.statusCode, 402);
    assert.match(res.body, /costs \$0\.08/);
  });
});
