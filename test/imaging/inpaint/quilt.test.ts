import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BlocksUnsuitable, inpaint } from '../../../src/imaging/inpaint/index.js';
import { quiltFill } from '../../../src/imaging/inpaint/quilt.js';
import { createRng } from '../../../src/imaging/inpaint/rng.js';
import type { RawImage } from '../../../src/imaging/raw-image.js';
import { testImagingPool } from '../../helpers/engine-context.js';
import { outsideIdentical, photo, rectHole } from './helpers.js';

const pool = testImagingPool();

/** Mean absolute difference between horizontal neighbours inside the hole: the grain a smear lacks. */
function grain(image: RawImage, hole: Uint8Array): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < hole.length - 1; i++) {
    if (hole[i] <= 127 || hole[i + 1] <= 127 || (i + 1) % image.width === 0) continue;
    sum += Math.abs(image.data[i * 3 + 1] - image.data[(i + 1) * 3 + 1]);
    count++;
  }
  return sum / count;
}

/** Leaves: street.jpg's foliage left of the sign (x 0..230, y 60..330), the hole in its middle. */
const leaves = () => photo('street.jpg', { left: 0, top: 60, width: 230, height: 270 });

describe('block fill (quilt.ts)', () => {
  test('fills every hole pixel with the grain of the leaves around it, where PatchMatch smooths them', async () => {
    const image = await leaves();
    const hole = rectHole(image.width, image.height, 70, 70, 80, 120);
    const ring = grain(image, hole);
    const blocks = await inpaint(image, hole, { pool, seed: 1, method: 'blocks' });
    assert.ok(outsideIdentical(image, blocks, hole));
    const patchmatch = await inpaint(image, hole, { pool, seed: 1 });
    const [g, p] = [grain(blocks, hole), grain(patchmatch, hole)];
    assert.ok(g > 0.75 * ring, `blocks: grain ${g.toFixed(1)} against ${ring.toFixed(1)} in the leaves themselves`);
    assert.ok(g > p, `blocks ${g.toFixed(1)}, PatchMatch ${p.toFixed(1)}`);
  });

  test('copies nothing from pixels marked as no source, and the same seed gives the same pixels', async () => {
    // Left half noise in greens, right half a pure magenta stripe region marked as no source.
    const width = 160;
    const height = 120;
    const rng = createRng(9);
    const data = new Uint8Array(width * height * 3);
    const noSource = new Uint8Array(width * height);
    for (let i = 0; i < width * height; i++) {
      const x = i % width;
      const magenta = x >= 120;
      data.set(magenta ? [255, 0, 255] : [30 + rng.int(40), 80 + rng.int(80), 30 + rng.int(40)], i * 3);
      noSource[i] = magenta ? 1 : 0;
    }
    const hole = rectHole(width, height, 60, 30, 50, 60);
    const run = () => {
      const image = { width, height, channels: 3 as const, data: new Uint8Array(data), hole: new Uint8Array(hole), noSource };
      const { filled } = quiltFill(image, { seed: 4, block: 12 });
      return { image, filled };
    };
    const { image, filled } = run();
    assert.equal(filled, 50 * 60);
    assert.ok(image.hole.every((v) => v === 0));
    for (let i = 0; i < width * height; i++) {
      if (!hole[i]) continue;
      assert.ok(
        !(image.data[i * 3] > 200 && image.data[i * 3 + 2] > 200),
        `magenta copied to ${i % width},${Math.floor(i / width)}`,
      );
    }
    assert.deepEqual(run().image.data, image.data);
  });

  test('refuses, rather than staircases, a straight edge it was not able to carry across', async () => {
    // A diagonal edge between two flat tones crossing a hole: no band is carried along a diagonal this
    // short, so whole blocks would break it; the method says so instead of filling.
    const width = 200;
    const height = 200;
    const rng = createRng(2);
    const data = Buffer.alloc(width * height * 3);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++)
        data.fill((x + y < 200 ? 60 : 190) + rng.int(10), (y * width + x) * 3, (y * width + x) * 3 + 3);
    }
    const image = { data, width, height, channels: 3 as const };
    const hole = rectHole(width, height, 60, 60, 80, 80);
    const reports: Array<{ lines: number; uncarried: number }> = [];
    await assert.rejects(
      inpaint(image, hole, { pool, seed: 1, method: 'blocks', onStructure: (r) => reports.push(r) }),
      (error: unknown) => error instanceof BlocksUnsuitable,
    );
    assert.ok(reports[0].uncarried > 0, JSON.stringify(reports));
  });
});
