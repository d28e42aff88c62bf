import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import sharp, { type Sharp } from 'sharp';
import { blurPasses, medianWindow } from '../../src/imaging/bounded-filters.js';
import type { RawImage } from '../../src/imaging/raw-image.js';
import { applyTone, materialize } from '../../src/imaging/tone.js';
import { testImagingPool } from '../helpers/engine-context.js';

async function photo(): Promise<RawImage> {
  const { data, info } = await sharp(resolve('test/fixtures/coffee.png'))
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3 };
}

function meanAbsDiff(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

describe('blurPasses', () => {
  test('a large sigma is blurred on a reduced copy, with the result of the direct blur', async () => {
    const image = await photo();
    const passes = blurPasses(image, 40);
    assert.equal(passes.length, 2, 'reduce-blur, then enlarge');
    const bounded = await materialize(
      await applyTone(
        image,
        { kind: 'blur', amount: 1, pixels: 40 },
        { referenceSide: 400, redact: false, work: { pool: testImagingPool() } },
      ),
    );
    const direct = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
      .blur(40)
      .raw()
      .toBuffer();
    assert.deepEqual([bounded.width, bounded.height], [image.width, image.height]);
    const diff = meanAbsDiff(bounded.data, direct);
    assert.ok(diff < 2.5, `mean difference from the direct blur: ${diff.toFixed(2)} levels`);
  });

  test('"blur by 1000px" on a 33-megapixel picture is a small blur at 1/125 scale, not 25 CPU-minutes', () => {
    const passes = blurPasses({ data: Buffer.alloc(0), width: 7016, height: 4729, channels: 3 }, 1000);
    assert.equal(passes.length, 2);
    // The first pass's pipeline, inspected through sharp's own options: resize to a 56x38 copy, sigma ~8.
    const pipeline = (passes[0] as { sharp: (s: Sharp) => Sharp }).sharp(
      sharp({ create: { width: 7016, height: 4729, channels: 3, background: 'black' } }),
    );
    const options = (pipeline as unknown as { options: { width: number; height: number; blurSigma: number } }).options;
    assert.deepEqual([options.width, options.height], [56, 38]);
    assert.ok(options.blurSigma <= 8.5, `sigma at the reduced scale: ${options.blurSigma}`);
  });

  test('a sigma beyond the picture is clamped to its longer side, and a small one is used as it is', () => {
    const tiny = blurPasses({ data: Buffer.alloc(0), width: 300, height: 200, channels: 3 }, 2);
    assert.equal(tiny.length, 1);
    const huge = blurPasses({ data: Buffer.alloc(0), width: 300, height: 200, channels: 3 }, 1e9);
    const pipeline = (huge[0] as { sharp: (s: Sharp) => Sharp }).sharp(
      sharp({ create: { width: 300, height: 200, channels: 3, background: 'black' } }),
    );
    const { width } = (pipeline as unknown as { options: { width: number } }).options;
    assert.equal(width, 8, 'sigma 300 (the longer side) at 8/300 scale');
  });
});

describe('medianWindow', () => {
  const size = (width: number, height: number) => ({ data: Buffer.alloc(0), width, height, channels: 3 as const });
  test('is no wider than the shorter side, and odd', () => {
    assert.equal(medianWindow(size(1000, 800), 5), 5);
    assert.equal(medianWindow(size(16384, 4), 5), 3);
    assert.equal(medianWindow(size(3, 21845), 5), 3);
  });
  test('refuses a picture too thin for any neighbourhood, with a 400 that says why', () => {
    for (const [w, h] of [
      [65536, 1],
      [1, 65536],
      [32768, 2],
    ]) {
      assert.throws(
        () => medianWindow(size(w, h), 3),
        (error: { status?: number; message: string }) => {
          assert.equal(error.status, 400);
          assert.match(error.message, new RegExp(`at least 3 pixels wide and high; this one is ${w}x${h}`));
          return true;
        },
      );
    }
  });
});
