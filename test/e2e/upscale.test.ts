import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { buildApp } from '../../src/app.js';
import { createApiKey } from '../../src/accounts/api-keys.js';
import { loadConfig } from '../../src/config/load.js';
import { SqliteStore } from '../../src/storage/sqlite-store.js';
import { multipartBody } from '../helpers/test-app.js';
import { TEST_CREDENTIALS } from '../helpers/test-credentials.js';

/**
 * POST /api/v1/image/upscale with the real super-resolution engine, through the three input forms (JSON
 * base64, multipart file, URL fetched from 127.0.0.1). `upscaler` runs the faster esrgan-medium networks
 * at both scales; `upscaler-default` is the built-in configuration (esrgan-medium at 2x, esrgan-thick at 4x, int8).
 * Inputs are 256 x 256 crops of real photos (65,536 pixels, Venice's minimum).
 */
const baboon = readFileSync(path.resolve('test/fixtures/baboon.jpg'));
const SIDE = 256;

describe('image upscale end to end', () => {
  let app: FastifyInstance;
  let store: SqliteStore;
  let accountId: string;
  let auth: { authorization: string };
  let original: Buffer; // 1024 x 1024 crop of the photo
  let small: Buffer; // the same crop shrunk 4x, as PNG
  let server: http.Server;
  let smallUrl = '';

  before(async () => {
    original = await sharp(baboon)
      .extract({ left: 0, top: 0, width: SIDE * 2, height: SIDE * 2 })
      .resize(SIDE * 4, SIDE * 4)
      .png()
      .toBuffer();
    small = await sharp(original).resize(SIDE, SIDE, { kernel: 'cubic' }).png().toBuffer();
    server = http.createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': small.length }).end(small),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    smallUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/small.png`;
    const config = loadConfig({
      env: {},
      overrides: {
        logLevel: 'silent',
        dataDir: '/nonexistent-test-dir',
        provenance: TEST_CREDENTIALS,
        inputs: { fetch: { allow: ['127.0.0.1'] } },
        models: {
          upscaler: {
            engine: 'super-resolution',
            type: 'upscale',
            priceUsd: 0.02,
            upscalePricesUsd: { x2: 0.02, x4: 0.08 },
            options: { faithful: 'esrgan-medium' },
          },
          'upscaler-default': { engine: 'super-resolution', type: 'upscale', priceUsd: 0.03 },
        },
      },
    });
    store = new SqliteStore(':memory:');
    app = await buildApp(config, { store });
    const created = await createApiKey(store, { name: 'e2e', creditsUsd: '10' });
    accountId = created.record.accountId;
    auth = { authorization: `Bearer ${created.key}` };
  });

  after(async () => {
    await app?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  const balance = async () => (await store.getBalance(accountId)).availableMicros;
  const post = (payload: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    app.inject({ method: 'POST', url: '/api/v1/image/upscale', headers: { ...auth, ...headers }, payload: payload as never });

  /** PSNR of `png` against the 1024 x 1024 original, over RGB. */
  async function psnrToOriginal(png: Buffer): Promise<number> {
    const [a, b] = await Promise.all([sharp(png).removeAlpha().raw().toBuffer(), sharp(original).removeAlpha().raw().toBuffer()]);
    let sum = 0;
    for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
    return 10 * Math.log10((255 * 255) / (sum / a.length));
  }

  test('JSON base64 at 4x, creativity 0: 1024 x 1024, closer to the original than Lanczos, charged $0.08', async () => {
    const before = await balance();
    const res = await post({ image: small.toString('base64'), scale: 4, creativity: 0 });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], 'image/png');
    assert.equal(res.headers['x-retouch-charged-usd'], '0.08');
    assert.equal(before - (await balance()), 80_000);
    const meta = await sharp(res.rawPayload).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 1024, 1024]);
    const lanczos = await sharp(small).resize(1024, 1024, { kernel: 'lanczos3' }).png().toBuffer();
    const [ours, theirs] = [await psnrToOriginal(res.rawPayload), await psnrToOriginal(lanczos)];
    assert.ok(ours > theirs, `PSNR ${ours.toFixed(2)} dB, Lanczos ${theirs.toFixed(2)} dB`);
  });

  test('multipart file at 2x with the default creativity (both networks): 512 x 512, $0.02; an unknown part is ignored as on the other routes', async () => {
    const form = multipartBody([
      { name: 'image', value: small, filename: 'small.png' },
      { name: 'scale', value: '2' },
      { name: 'foo', value: 'bar' },
    ]);
    const before = await balance();
    const res = await post(form.payload, { ...form.headers, 'idempotency-key': 'upscale-multipart-1' });
    assert.equal(res.statusCode, 200, res.body);
    const meta = await sharp(res.rawPayload).metadata();
    assert.deepEqual([meta.width, meta.height], [512, 512]);
    assert.equal(before - (await balance()), 20_000);
    const again = await post(form.payload, { ...form.headers, 'idempotency-key': 'upscale-multipart-1' });
    assert.equal(again.headers['x-idempotent-replay'], 'true');
    assert.deepEqual(again.rawPayload, res.rawPayload);
    assert.equal(before - (await balance()), 20_000, 'the repeat is not charged');
  });

  test('an image URL (fetched from 127.0.0.1) at 2x, creativity 0.02 (generative network only)', async () => {
    const res = await post({ image: smallUrl, scale: 2, creativity: 0.02 });
    assert.equal(res.statusCode, 200, res.body);
    const meta = await sharp(res.rawPayload).metadata();
    assert.deepEqual([meta.width, meta.height], [512, 512]);
    assert.equal(res.headers['x-retouch-charged-usd'], '0.02');
  });

  test('transparency is kept: the alpha channel is enlarged with the image', async () => {
    const alpha = Buffer.alloc(SIDE * SIDE);
    for (let y = 0; y < SIDE; y++) alpha.fill(y < SIDE / 2 ? 255 : 0, y * SIDE, (y + 1) * SIDE);
    const rgb = await sharp(small).removeAlpha().raw().toBuffer();
    const rgba = await sharp(rgb, { raw: { width: SIDE, height: SIDE, channels: 3 } })
      .joinChannel(alpha, { raw: { width: SIDE, height: SIDE, channels: 1 } })
      .png()
      .toBuffer();
    const res = await post({ image: rgba.toString('base64'), scale: 2, creativity: 0 });
    assert.equal(res.statusCode, 200, res.body);
    const { data, info } = await sharp(res.rawPayload).raw().toBuffer({ resolveWithObject: true });
    assert.deepEqual([info.width, info.height, info.channels], [512, 512, 4]);
    assert.equal(data[(100 * 512 + 100) * 4 + 3], 255);
    assert.equal(data[(400 * 512 + 100) * 4 + 3], 0);
  });

  test('the built-in configuration at 2x', async () => {
    const res = await post({ image: small.toString('base64'), scale: 2, creativity: 0, model: 'upscaler-default' });
    assert.equal(res.statusCode, 200, res.body);
    const meta = await sharp(res.rawPayload).metadata();
    assert.deepEqual([meta.width, meta.height], [512, 512]);
    assert.equal(res.headers['x-retouch-charged-usd'], '0.03');
  });

  test('bad requests are refused with 400 and cost nothing', async () => {
    const tiny = await sharp(small).resize(200, 200).png().toBuffer();
    const before = await balance();
    const cases: Array<[unknown, RegExp]> = [
      [{ image: small.toString('base64'), scale: 3 }, /scale 2 or 4/],
      [{ image: small.toString('base64'), scale: 'big' }, /scale 2 or 4/],
      [{ image: small.toString('base64'), creativity: 'lots' }, /creativity as a number/],
      [{ image: tiny.toString('base64') }, /200x200 \(40,000 pixels\)/],
      [{ image: small.toString('base64'), enhance: true }, /enhance is not supported by upscaler/],
      [{ image: small.toString('base64'), model: 'bg-remove' }, /Unknown model .*bg-remove/],
      [{ scale: 2 }, /image/],
    ];
    for (const [body, message] of cases) {
      const res = await post(body);
      assert.equal(res.statusCode, 400, `${JSON.stringify(body).slice(0, 80)}: ${res.body}`);
      assert.match(res.body, message);
    }
    assert.equal(await balance(), before);
  });

  test('GET /models?type=upscale lists the upscalers with their price per scale', async () => {
    const res = await app.inject({ url: '/api/v1/models?type=upscale' });
    const list = JSON.parse(res.body).data as Array<{ id: string; type: string; model_spec: Record<string, any> }>;
    assert.deepEqual(list.map((m) => m.id).sort(), ['upscaler', 'upscaler-default']);
    const upscaler = list.find((m) => m.id === 'upscaler')!;
    assert.deepEqual(upscaler.model_spec.pricing, { upscale: { '2x': { usd: 0.02 }, '4x': { usd: 0.08 } } });
    assert.equal(upscaler.model_spec.offline, false);
    assert.deepEqual(upscaler.model_spec.scales, [2, 4]);
    const defaults = list.find((m) => m.id === 'upscaler-default')!;
    assert.deepEqual(defaults.model_spec.pricing, { upscale: { '2x': { usd: 0.03 }, '4x': { usd: 0.12 } } });
    const edit = JSON.parse((await app.inject({ url: '/api/v1/models?type=inpaint' })).body).data as Array<{ id: string }>;
    assert.ok(!edit.some((m) => m.id.startsWith('upscaler')));
  });
});
