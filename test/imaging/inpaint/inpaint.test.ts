import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError } from '../../../src/errors.js';
import { inpaint } from '../../../src/imaging/inpaint/index.js';
import type { RawImage } from '../../../src/imaging/raw-image.js';
import { createImagingPool } from '../../../src/imaging/worker-pool.js';
import { testImagingPool } from '../../helpers/engine-context.js';
import { blurFill, discHole, meanFill, mseInHole, noisyStripes, outsideIdentical, photo, psnr, rectHole } from './helpers.js';

const pool = testImagingPool();

describe('inpaint', () => {
  test('returns pixels outside the hole bit-identical, and a full image of the same shape', async () => {
    const image = await photo('chelsea.png');
    const hole = discHole(image.width, image.height, 120, 100, 30);
    const out = await inpaint(image, hole, { pool, seed: 3 });
    assert.equal(out.width, image.width);
    assert.equal(out.height, image.height);
    assert.equal(out.channels, 3);
    assert.equal(out.data.length, image.data.length);
    assert.ok(outsideIdentical(image, out, hole));
    assert.ok(!outsideIdentical(image, out, new Uint8Array(hole.length)), 'the hole was filled with something else');
  });

  test('continues a periodic texture into a hole, far closer to the truth than mean or blur fills', async () => {
    const truth = noisyStripes(96, 96);
    const hole = rectHole(96, 96, 36, 30, 26, 30);
    const out = await inpaint(truth, hole, { pool, seed: 1 });
    const ours = mseInHole(truth, out, hole);
    const mean = mseInHole(truth, meanFill(truth, hole), hole);
    const blur = mseInHole(truth, blurFill(truth, hole), hole);
    // The noise alone (uniform, +-12 per channel) gives an MSE of about 2 * 48 between two noisy copies.
    assert.ok(ours < 200, `MSE inside the hole ${ours.toFixed(0)} should be near the noise floor`);
    assert.ok(ours < mean / 10, `ours ${ours.toFixed(0)} vs mean fill ${mean.toFixed(0)}`);
    assert.ok(ours < blur / 10, `ours ${ours.toFixed(0)} vs blur fill ${blur.toFixed(0)}`);
  });

  test('continues an edge across a hole in a real photo, above a blur fill in PSNR inside the hole', async () => {
    // The edge between a white and a red stripe of the flag in astronaut.png: structure a blur smears.
    const image = await photo('astronaut.png', { left: 0, top: 120, width: 120, height: 200 });
    const hole = discHole(image.width, image.height, 40, 60, 12);
    const out = await inpaint(image, hole, { pool, seed: 1 });
    const ours = psnr(mseInHole(image, out, hole));
    const blur = psnr(mseInHole(image, blurFill(image, hole), hole));
    assert.ok(ours > blur + 3, `ours ${ours.toFixed(2)} dB vs blur fill ${blur.toFixed(2)} dB`);
  });

  test('is deterministic for a seed, whatever the number of workers', async () => {
    const image = await photo('coffee.png', { left: 100, top: 100, width: 160, height: 120 });
    const hole = discHole(image.width, image.height, 80, 60, 20);
    const one = createImagingPool(1);
    const a = await inpaint(image, hole, { pool: one, seed: 42 }).finally(() => one.close());
    const b = await inpaint(image, hole, { pool, seed: 42 });
    const c = await inpaint(image, hole, { pool, seed: 42 });
    assert.ok(a.data.equals(b.data));
    assert.ok(b.data.equals(c.data));
  });

  test('never lets what the hole covered show through, even at the image border', async () => {
    const image = await photo('fruits.jpg', { left: 200, top: 200, width: 120, height: 90 });
    const hole = rectHole(120, 90, 0, 30, 40, 30);
    const marked = { ...image, data: Buffer.from(image.data) };
    for (let i = 0; i < hole.length; i++) if (hole[i]) marked.data.set([255, 0, 255], i * 3);
    const out = await inpaint(marked, hole, { pool, seed: 5 });
    for (let i = 0; i < hole.length; i++) {
      if (!hole[i]) continue;
      const [r, g, b] = out.data.subarray(i * 3, i * 3 + 3);
      assert.ok(!(r > 200 && g < 60 && b > 200), `magenta at pixel ${i}`);
    }
  });

  test('rejects with the signal reason when aborted, before or during the work', async () => {
    const image = await photo('motorcycle_left.png');
    const hole = discHole(image.width, image.height, 370, 250, 120);
    const before = AbortSignal.abort(new Error('gone'));
    await assert.rejects(inpaint(image, hole, { pool, signal: before }), /gone/);

    const controller = new AbortController();
    const started = performance.now();
    const running = inpaint(image, hole, { pool, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('client closed')), 30);
    await assert.rejects(running, /client closed/);
    assert.ok(performance.now() - started < 1000, 'the abort did not wait for the work to finish');
  });

  test('handles RGBA: opaque images get an opaque fill, transparency outside the hole is kept', async () => {
    const rgb = await photo('chelsea.png', { left: 150, top: 50, width: 120, height: 100 });
    const rgba = toRgba(rgb, () => 255);
    const hole = discHole(rgb.width, rgb.height, 60, 50, 15);
    const out = await inpaint(rgba, hole, { pool, seed: 1 });
    assert.equal(out.channels, 4);
    assert.ok(outsideIdentical(rgba, out, hole));
    for (let i = 0; i < hole.length; i++) if (hole[i]) assert.equal(out.data[i * 4 + 3], 255);

    // Left half transparent, right half opaque, hole in the transparent half: it stays transparent.
    const half = toRgba(rgb, (x) => (x < 60 ? 0 : 255));
    const leftHole = discHole(rgb.width, rgb.height, 25, 50, 10);
    const filled = await inpaint(half, leftHole, { pool, seed: 1 });
    assert.ok(outsideIdentical(half, filled, leftHole));
    for (let i = 0; i < leftHole.length; i++) if (leftHole[i]) assert.ok(filled.data[i * 4 + 3] < 30);
  });

  test('fills tiny holes and holes touching the image border', async () => {
    const image = await photo('baboon.jpg', { left: 100, top: 100, width: 100, height: 100 });
    const single = rectHole(100, 100, 50, 50, 1, 1);
    const out = await inpaint(image, single, { pool, seed: 1 });
    assert.ok(outsideIdentical(image, out, single));

    const corner = rectHole(100, 100, 0, 0, 20, 12);
    const cornerOut = await inpaint(image, corner, { pool, seed: 1 });
    assert.ok(outsideIdentical(image, cornerOut, corner));
    const edge = rectHole(100, 100, 80, 30, 20, 30);
    const edgeOut = await inpaint(image, edge, { pool, seed: 1 });
    assert.ok(outsideIdentical(image, edgeOut, edge));
    assert.ok(mseInHole(image, edgeOut, edge) < mseInHole(image, meanFill(image, edge), edge) * 2);
  });

  test('refuses a hole that leaves nothing to copy from, with a clear message', async () => {
    const image = await photo('chelsea.png', { left: 0, top: 0, width: 64, height: 64 });
    const everything = new Uint8Array(64 * 64).fill(255);
    await assert.rejects(inpaint(image, everything, { pool }), (error: unknown) => {
      assert.ok(error instanceof ApiError);
      assert.equal(error.code, 'INVALID_IMAGE');
      assert.match(error.message, /too little of the image/);
      return true;
    });
  });

  test('refuses a hole of the wrong size and returns an untouched copy for an empty hole', async () => {
    const image = await photo('chelsea.png', { left: 0, top: 0, width: 64, height: 64 });
    await assert.rejects(inpaint(image, new Uint8Array(10), { pool }), ApiError);
    const out = await inpaint(image, new Uint8Array(64 * 64), { pool });
    assert.ok(out.data.equals(image.data));
    assert.notEqual(out.data, image.data);
  });
});

function toRgba(image: RawImage, alphaAt: (x: number, y: number) => number): RawImage {
  const data = Buffer.alloc(image.width * image.height * 4);
  for (let i = 0; i < image.width * image.height; i++) {
    for (let c = 0; c < 3; c++) data[i * 4 + c] = image.data[i * 3 + c];
    data[i * 4 + 3] = alphaAt(i % image.width, Math.floor(i / image.width));
  }
  return { data, width: image.width, height: image.height, channels: 4 };
}
