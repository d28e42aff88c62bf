import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../../src/errors.js';
import { addTransform } from '../../src/imaging/geometry.js';
import { uprightCrop } from '../../src/imaging/horizon.js';
import type { RawImage } from '../../src/imaging/raw-image.js';
import { sharpFromRaw } from '../../src/imaging/raw-image.js';
import { straightenTransform } from '../../src/imaging/straighten.js';
import { testImagingPool } from '../helpers/engine-context.js';

const work = { pool: testImagingPool() };

/** A "seascape": light sky over a dark sea, the horizon through the centre at `degrees` (clockwise), with noise. */
function seascape(width: number, height: number, degrees: number): RawImage {
  const data = Buffer.alloc(width * height * 3);
  const slope = Math.tan((degrees * Math.PI) / 180);
  let seed = 11;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const horizon = height / 2 + (x - width / 2) * slope;
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const v = (y < horizon ? 200 : 60) + (seed % 21) - 10;
      data.fill(v, (y * width + x) * 3, (y * width + x) * 3 + 3);
    }
  }
  return { data, width, height, channels: 3 };
}

/** Row of the sky/sea boundary in a column (first row darker than 130). */
function boundary(image: RawImage, x: number): number {
  for (let y = 0; y < image.height; y++) if (image.data[(y * image.width + x) * 3] < 130) return y;
  return -1;
}

test('a horizon tilted by 4 degrees is found, levelled and cropped to an upright rectangle', async () => {
  const tilted = seascape(600, 400, 4);
  const transform = await straightenTransform(tilted, work);
  assert.ok(transform && transform.kind === 'tilt', 'no transform');
  assert.ok(Math.abs(transform.degrees + 4) < 0.3, `rotation ${transform.degrees}`);
  const { data, info } = await addTransform(sharpFromRaw(tilted), transform).raw().toBuffer({ resolveWithObject: true });
  const level = { data, width: info.width, height: info.height, channels: 3 as const };
  assert.ok(Math.abs(boundary(level, 20) - boundary(level, level.width - 20)) <= 2, 'the horizon is still tilted');
  // No black corner from the rotation is left in the crop.
  for (const [x, y] of [
    [0, 0],
    [level.width - 1, 0],
    [0, level.height - 1],
    [level.width - 1, level.height - 1],
  ]) {
    assert.ok(data[(y * level.width + x) * 3] > 30, `corner (${x}, ${y}) is black`);
  }
});

test('a level horizon needs nothing; a picture with no clear line is refused', async () => {
  assert.equal(await straightenTransform(seascape(600, 400, 0.05), work), null);
  let seed = 5;
  const noise = Buffer.alloc(300 * 200 * 3);
  for (let i = 0; i < noise.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    noise[i] = seed % 256;
  }
  const info = { width: 300, height: 200 };
  const data = noise;
  await assert.rejects(
    straightenTransform({ data, width: info.width, height: info.height, channels: 3 }, work),
    (error: unknown) => {
      assert.ok(error instanceof ApiError && error.status === 400);
      assert.match(error.message, /no clear horizon/);
      return true;
    },
  );
});

test('the upright crop of a rotated picture fits inside it', () => {
  const crop = uprightCrop(600, 400, 4);
  assert.ok(crop.width < 600 && crop.width > 500 && crop.height < 400 && crop.height > 330, JSON.stringify(crop));
});
