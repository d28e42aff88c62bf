import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { distanceToKnown, patchSets } from '../../../src/imaging/inpaint/masks.js';
import { improveRange, randomField } from '../../../src/imaging/inpaint/nnf.js';
import { patchDistance } from '../../../src/imaging/inpaint/patch-distance.js';
import { createRng } from '../../../src/imaging/inpaint/rng.js';
import type { SharedLevel } from '../../../src/imaging/inpaint/shared-level.js';

function level(width: number, height: number, pixels: Float32Array, hole: Uint8Array, radius: number): SharedLevel {
  const holePixels = Int32Array.from(Array.from(hole).flatMap((v, i) => (v ? [i] : [])));
  return {
    width,
    height,
    channels: 3,
    pixels,
    hole,
    holePixels,
    distance: distanceToKnown(hole, width, height),
    ...patchSets(hole, width, height, radius),
    source: new Int32Array(width * height).fill(-1),
    cost: new Float32Array(width * height),
    shape: { radius, step: 1 },
    locality: 0,
    iterations: 1,
    passes: 6,
  };
}

describe('PatchMatch nearest-neighbour field', () => {
  test('finds exact copies: a region duplicated from elsewhere in a noise image is matched at zero cost', () => {
    const width = 80;
    const height = 60;
    const rng = createRng(5);
    const pixels = new Float32Array(width * height * 3);
    for (let i = 0; i < pixels.length; i++) pixels[i] = Math.floor(rng.next() * 256);
    // Copy a 20x16 block from (10, 8) to (50, 36); the hole is the middle of the copy.
    for (let y = 0; y < 16; y++) {
      for (let x = 0; x < 20; x++) {
        for (let c = 0; c < 3; c++) pixels[((36 + y) * width + 50 + x) * 3 + c] = pixels[((8 + y) * width + 10 + x) * 3 + c];
      }
    }
    const hole = new Uint8Array(width * height);
    for (let y = 42; y < 46; y++) for (let x = 57; x < 63; x++) hole[y * width + x] = 1;
    const radius = 3;
    const noise = level(width, height, pixels, hole, radius);
    randomField(noise, createRng(1));
    improveRange(noise, 0, noise.targets.length, createRng(2));
    // Target patches lying inside the copied block have an exact twin at offset (-40, -28).
    let exact = 0;
    let inside = 0;
    for (const t of noise.targets) {
      const x = t % width;
      const y = Math.floor(t / width);
      if (x - radius < 50 || x + radius >= 70 || y - radius < 36 || y + radius >= 52) continue;
      inside++;
      if (noise.cost[t] === 0 && noise.source[t] === t - 28 * width - 40) exact++;
    }
    assert.ok(inside > 20);
    assert.equal(exact, inside, `${exact} of ${inside} targets found their exact twin`);
  });

  test('patchDistance is the sum of squared differences, and stops early past the limit', () => {
    const width = 10;
    const pixels = new Float32Array(width * 10 * 3);
    pixels.fill(1, 0, width * 5 * 3); // top half ones, bottom half zeros
    const full = patchDistance(pixels, width, 3, 1, 1, 2 * width + 2, 7 * width + 7, Infinity);
    assert.equal(full, 27);
    const stopped = patchDistance(pixels, width, 3, 1, 1, 2 * width + 2, 7 * width + 7, 5);
    assert.ok(stopped >= 5 && stopped < 27);
    // Sparse: radius 2 with step 2 compares rows and columns -2, 0, 2, i.e. 9 pixels.
    const sparse = patchDistance(pixels, width, 3, 2, 2, 2 * width + 2, 7 * width + 7, Infinity);
    assert.equal(sparse, 27);
  });
});
