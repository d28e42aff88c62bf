import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { multipartBody } from '../helpers/test-app.js';
import { QUICK, callApi, startServer, type RunningServer } from './remote-servers.js';

/**
 * /image/upscale through the `venice` backend, over real sockets on 127.0.0.1:
 *   client -> gateway A (venice engine) -> upstream B (this server, local super-resolution)
 * A forwards the image, `scale` and `creativity` to B's /image/upscale and charges its own price for the
 * scale B applied; B charges the operator's key.
 */
let upstream: RunningServer;
let gateway: RunningServer;
const cat = readFileSync(path.resolve('test/fixtures/chelsea.png')); // 451 x 300

before(async () => {
  upstream = await startServer({
    models: {
      upscaler: {
        engine: 'super-resolution',
        type: 'upscale',
        priceUsd: 0.02,
        upscalePricesUsd: { x2: 0.02, x4: 0.08 },
        options: { faithful: 'esrgan-medium' },
      },
    },
  });
  gateway = await startServer({
    models: {
      upscaler: {
        engine: 'venice',
        type: 'upscale',
        priceUsd: 0.03,
        upscalePricesUsd: { x2: 0.03, x4: 0.09 },
        combineImages: false,
        options: { endpoints: [{ url: `${upstream.url}/api/v1`, apiKey: upstream.key, name: 'upstream-venice' }], ...QUICK },
      },
    },
  });
});

after(async () => {
  await gateway?.app.close();
  await upstream?.app.close();
});

describe('upscale through a venice upstream', () => {
  test('JSON at 2x, creativity 0: the upstream enlarges, both sides charge their 2x price', async () => {
    const res = await callApi(gateway, 'image/upscale', { image: cat.toString('base64'), scale: 2, creativity: 0 });
    assert.equal(res.status, 200, res.body.toString());
    assert.equal(res.headers.get('content-type'), 'image/png');
    assert.equal(res.headers.get('x-retouch-charged-usd'), '0.03');
    const meta = await sharp(res.body).metadata();
    assert.deepEqual([meta.width, meta.height], [902, 600]);
    // Same picture as the input, enlarged: compare with a Lanczos enlargement.
    const [ours, lanczos] = await Promise.all([
      sharp(res.body).removeAlpha().raw().toBuffer(),
      sharp(cat).removeAlpha().resize(902, 600, { kernel: 'lanczos3' }).raw().toBuffer(),
    ]);
    let diff = 0;
    for (let i = 0; i < ours.length; i++) diff += Math.abs(ours[i] - lanczos[i]);
    assert.ok(diff / ours.length < 8, `mean difference from Lanczos ${(diff / ours.length).toFixed(2)}`);
    const upstreamUsage = (await upstream.store.listUsage({})).filter((u) => u.status === 200 && u.route === 'upscale');
    assert.equal(upstreamUsage.length, 1);
  });

  test('a bad scale is refused by the gateway before any upstream call', async () => {
    const form = multipartBody([
      { name: 'image', value: cat, filename: 'cat.png' },
      { name: 'scale', value: '8' },
    ]);
    const before = (await upstream.store.listUsage({})).length;
    const res = await callApi(gateway, 'image/upscale', form.payload, form.headers);
    assert.equal(res.status, 400);
    assert.match(res.body.toString(), /scale 2 or 4/);
    assert.equal((await upstream.store.listUsage({})).length, before);
  });
});
