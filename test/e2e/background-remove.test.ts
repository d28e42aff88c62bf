import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { buildApp } from '../../src/app.js';
import { createApiKey } from '../../src/accounts/api-keys.js';
import { loadConfig } from '../../src/config/load.js';
import { SqliteStore } from '../../src/storage/sqlite-store.js';
import { multipartBody } from '../helpers/test-app.js';
import { catOnFur, maskIoU, type Composite } from '../resources/segmenter/mask-metrics.js';
import { TEST_CREDENTIALS } from '../helpers/test-credentials.js';

/**
 * POST /api/v1/image/background-remove with the real ISNet engine, through the three input forms Venice
 * documents (JSON base64, JSON image_url, multipart file). The photo is a composite with a known
 * foreground, so the cutout is checked exactly: IoU >= 0.9 with the known mask, colour channels untouched.
 * The URL is served from 127.0.0.1, which the fetch allow list opens for this test only.
 */
describe('background removal end to end', () => {
  let app: FastifyInstance;
  let auth: { authorization: string };
  let photo: Composite;
  let png: Buffer;
  let server: http.Server;
  let photoUrl: string;

  before(async () => {
    photo = await catOnFur(640, 480);
    png = await sharp(photo.pixels, { raw: { width: photo.width, height: photo.height, channels: 3 } })
      .png()
      .toBuffer();
    server = http.createServer((req, res) => {
      if (req.url === '/photo.png') res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length }).end(png);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    photoUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/photo.png`;

    const config = loadConfig({
      env: {},
      overrides: {
        logLevel: 'silent',
        dataDir: '/nonexistent-test-dir',
        provenance: TEST_CREDENTIALS,
        inputs: { fetch: { allow: ['127.0.0.1'] } },
        workers: { segmentation: 1 },
      },
    });
    const store = new SqliteStore(':memory:');
    app = await buildApp(config, { store });
    const { key } = await createApiKey(store, { name: 'e2e', creditsUsd: '10' });
    auth = { authorization: `Bearer ${key}` };
  });

  after(async () => {
    await app?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  async function checkCutout(body: Buffer) {
    const { data, info } = await sharp(body).raw().toBuffer({ resolveWithObject: true });
    assert.deepEqual([info.width, info.height, info.channels], [photo.width, photo.height, 4]);
    const alpha = new Uint8Array(photo.width * photo.height);
    for (let i = 0; i < alpha.length; i++) {
      alpha[i] = data[4 * i + 3];
      for (let c = 0; c < 3; c++) if (data[4 * i + c] !== photo.pixels[3 * i + c]) assert.fail(`colour changed at pixel ${i}`);
    }
    const iou = maskIoU(alpha, photo.mask);
    assert.ok(iou >= 0.9, `IoU ${iou.toFixed(3)}`);
  }

  test('JSON with base64 image: an RGBA cutout of the same size', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/image/background-remove',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: { image: png.toString('base64') },
    });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.headers['content-type'], 'image/png');
    await checkCutout(response.rawPayload);
  });

  test('JSON with image_url (fetched from 127.0.0.1) and only_mask: the grey matte', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/image/background-remove',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: { image_url: photoUrl, only_mask: true },
    });
    assert.equal(response.statusCode, 200, response.body);
    const meta = await sharp(response.rawPayload).metadata();
    assert.deepEqual([meta.width, meta.height, meta.channels], [photo.width, photo.height, 1]);
    const matte = await sharp(response.rawPayload).extractChannel(0).raw().toBuffer();
    assert.ok(maskIoU(matte, photo.mask) >= 0.9);
  });

  test('multipart file upload, and bg_color composites onto an opaque background', async () => {
    const plain = multipartBody([{ name: 'image', value: png, filename: 'photo.png' }]);
    const cutout = await app.inject({
      method: 'POST',
      url: '/api/v1/image/background-remove',
      headers: { ...auth, ...plain.headers },
      payload: plain.payload,
    });
    assert.equal(cutout.statusCode, 200, cutout.body);
    await checkCutout(cutout.rawPayload);

    const coloured = multipartBody([
      { name: 'image', value: png, filename: 'photo.png' },
      { name: 'bg_color', value: '#00ff00' },
    ]);
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/image/background-remove',
      headers: { ...auth, ...coloured.headers },
      payload: coloured.payload,
    });
    assert.equal(response.statusCode, 200, response.body);
    const { data, info } = await sharp(response.rawPayload).raw().toBuffer({ resolveWithObject: true });
    assert.equal(info.channels, 3);
    assert.deepEqual([...data.subarray(0, 3)], [0, 255, 0], 'the corner is background, now green');
  });

  test('malformed images are a 400, never a crash', async () => {
    const onePixel = await sharp({ create: { width: 1, height: 1, channels: 3, background: 'red' } })
      .png()
      .toBuffer();
    // A PNG header claiming 100000 x 100000 pixels, with no image data behind it.
    const huge = Buffer.from(png.subarray(0, 33));
    huge.writeUInt32BE(100_000, 16);
    huge.writeUInt32BE(100_000, 20);
    for (const [name, bytes] of [
      ['truncated', png.subarray(0, png.length >> 1)],
      ['zero bytes', Buffer.alloc(0)],
      ['1x1', onePixel],
      ['huge dimensions', huge],
    ] as const) {
      const form = multipartBody([{ name: 'image', value: bytes, filename: 'bad.png' }]);
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/image/background-remove',
        headers: { ...auth, ...form.headers },
        payload: form.payload,
      });
      assert.equal(response.statusCode, 400, `${name}: ${response.body}`);
      assert.equal(typeof response.json().error, 'string', name);
    }
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/image/background-remove',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: { image: png.toString('base64'), bg_color: 'blurple' },
    });
    assert.equal(bad.statusCode, 400);
  });
});
