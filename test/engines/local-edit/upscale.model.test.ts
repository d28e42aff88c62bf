import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import sharp from 'sharp';
import { loadConfig } from '../../../src/config/load.js';
import type { EngineRequest, EngineResult } from '../../../src/engines/engine.js';
import { localEditEngineFactory } from '../../../src/engines/local-edit/index.js';
import { superResolutionEngineFactory } from '../../../src/engines/super-resolution/index.js';
import { sharpFromRaw, type RawImage } from '../../../src/imaging/raw-image.js';
import { testEngineContext } from '../../helpers/engine-context.js';
import { channelMeans, lumaStats } from '../../imaging/photo-fixtures.js';

/**
 * "Upscale it 2x" through local-edit with the real networks of the default server (the `upscaler` model:
 * esrgan-thick, creativity 0), on tiny crops so that the file stays quick on a CPU. Both engines share one
 * registry, hence one super-resolution pool, as in the server.
 */

const context = testEngineContext();
const localEdit = localEditEngineFactory.create(localEditEngineFactory.optionsSchema.parse({}), context, 'local-edit');
const upscaler = superResolutionEngineFactory.create(
  superResolutionEngineFactory.optionsSchema.parse(context.config.models.upscaler.options),
  context,
  'upscaler',
);

const request = (prompt: string, image: RawImage, signal = AbortSignal.timeout(120_000)): EngineRequest => ({
  operation: 'edit',
  images: [image],
  prompt,
  options: {},
  signal,
});

async function toRaw(result: EngineResult): Promise<RawImage> {
  const pipeline = result.kind === 'raw' ? sharpFromRaw(result.image) : result.pipeline;
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels as 3 | 4 };
}

/** A square of chelsea (the cat's face) at `side` pixels. */
async function chelseaSquare(side: number): Promise<RawImage> {
  const { data, info } = await sharp('test/fixtures/chelsea.png')
    .removeAlpha()
    .extract({ left: 120, top: 20, width: 256, height: 256 })
    .resize(side, side, { kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3 };
}

async function resized(image: RawImage, side: number, kernel: 'nearest' | 'cubic'): Promise<RawImage> {
  return toRaw({ kind: 'pipeline', pipeline: sharpFromRaw(image).resize(side, side, { kernel, fit: 'fill' }) });
}

/** PSNR over the RGB channels, in dB. */
function psnr(a: RawImage, b: RawImage): number {
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += (a.data[i] - b.data[i]) ** 2;
  return 10 * Math.log10((255 * 255) / (sum / a.data.length));
}

describe('local-edit upscales with the super-resolution networks', () => {
  test('"upscale it 2x": 64 x 64 -> 128 x 128, closer to the true 128 x 128 picture than a pixel replication', async (t) => {
    const truth = await chelseaSquare(128);
    const small = await resized(truth, 64, 'cubic');
    const out = await toRaw(await localEdit.run(request('upscale it 2x', small)));
    assert.deepEqual([out.width, out.height, out.channels], [128, 128, 3]);
    const nearest = await resized(small, 128, 'nearest');
    const [network, replicated] = [psnr(out, truth), psnr(nearest, truth)];
    const bicubic = psnr(await resized(small, 128, 'cubic'), truth);
    t.diagnostic(
      `PSNR against the truth: network ${network.toFixed(2)} dB, bicubic ${bicubic.toFixed(2)}, nearest ${replicated.toFixed(2)}`,
    );
    // For looking at: truth | network | nearest neighbour.
    const sheet = Buffer.concat([truth, out, nearest].map((im) => im.data));
    await sharp(sheet, { raw: { width: 128, height: 384, channels: 3 } })
      .png()
      .toFile('/tmp/local-edit-upscale-2x.png');
    // Measured: network 30.5 dB, nearest neighbour 28.6, bicubic 28.3.
    assert.ok(network > Math.max(replicated, bicubic) + 1, `network ${network.toFixed(2)} dB`);
  });

  test('the same pixels as POST /image/upscale at creativity 0, alpha enlarged with Lanczos', async () => {
    const rgb = await chelseaSquare(48);
    const data = Buffer.alloc(48 * 48 * 4);
    for (let i = 0; i < 48 * 48; i++) {
      data.set(rgb.data.subarray(i * 3, i * 3 + 3), i * 4);
      data[i * 4 + 3] = Math.round((255 * (i % 48)) / 47); // a left-to-right alpha ramp
    }
    const rgba: RawImage = { data, width: 48, height: 48, channels: 4 };
    const edited = await toRaw(await localEdit.run(request('make it higher resolution', rgba)));
    const served = await toRaw(
      await upscaler.run({
        operation: 'upscale',
        images: [rgba],
        prompt: '',
        options: { scale: 2, creativity: 0 },
        signal: AbortSignal.timeout(120_000),
      }),
    );
    assert.deepEqual([edited.width, edited.height, edited.channels], [96, 96, 4]);
    assert.ok(edited.data.equals(served.data), 'local-edit and the upscale engine differ');
    const lanczosAlpha = await sharpFromRaw(rgba)
      .extractChannel(3)
      .resize(96, 96, { kernel: 'lanczos3', fit: 'fill' })
      .raw()
      .toBuffer();
    for (let i = 0; i < 96 * 96; i++) assert.equal(edited.data[i * 4 + 3], lanczosAlpha[i]);
  });

  test('"brighten it and upscale by 4x": brightened, then enlarged 4x', async () => {
    const small = await chelseaSquare(24);
    const out = await toRaw(await localEdit.run(request('brighten it and upscale by 4x', small)));
    assert.deepEqual([out.width, out.height], [96, 96]);
    const [before, after] = [lumaStats(small).mean, lumaStats(out).mean];
    assert.ok(after > before * 1.1, `mean luma ${before.toFixed(1)} -> ${after.toFixed(1)}`);
    // Enlarging keeps the colour balance: each channel's mean moves with the brightening alone.
    const ratios = channelMeans(out).map((m, c) => m / channelMeans(small)[c]);
    assert.ok(Math.max(...ratios) - Math.min(...ratios) < 0.1, ratios.join(', '));
  });
});

describe('abort', () => {
  // Small tiles (32 pixels) so that the worker reads the abort flag often; its own pool for this.
  const config = loadConfig({
    env: {},
    overrides: {
      logLevel: 'silent',
      models: {
        upscaler: { engine: 'super-resolution', type: 'upscale', priceUsd: 0.02, options: { tileSize: 32, tileOverlap: 4 } },
      },
    },
  });
  const engine = localEditEngineFactory.create(
    localEditEngineFactory.optionsSchema.parse({}),
    testEngineContext(config),
    'local-edit',
  );

  test("an aborted upscale rejects with the signal's reason at once, and the worker is free again within a tile", async () => {
    await engine.run(request('upscale it 2x', await chelseaSquare(16))); // loads the network
    const controller = new AbortController();
    const reason = new Error('client went away');
    // 768 x 768: several seconds of work even with the int8 networks, so the abort lands mid-way.
    const running = engine.run(request('upscale it 2x', await chelseaSquare(768), controller.signal));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const abortedAt = performance.now();
    controller.abort(reason);
    await assert.rejects(running, (error) => error === reason);
    assert.ok(performance.now() - abortedAt < 500, 'the request did not end at once');
    // A worker still busy with the 768 x 768 would hold the next request for seconds.
    const next = performance.now();
    await engine.run(request('upscale it 2x', await chelseaSquare(16)));
    const waited = performance.now() - next;
    assert.ok(waited < 5_000, `the next upscale waited ${waited.toFixed(0)} ms`);
  });
});
