import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dilate, distanceToKnown, patchSets } from '../../../src/imaging/inpaint/masks.js';
import { createRng } from '../../../src/imaging/inpaint/rng.js';

function randomMask(width: number, height: number, density: number, seed: number): Uint8Array {
  const rng = createRng(seed);
  const mask = new Uint8Array(width * height);
  for (let i = 0; i < mask.length; i++) mask[i] = rng.next() < density ? 1 : 0;
  return mask;
}

/** The definition, pixel by pixel: set if any pixel within the square window is set. */
function dilateSlow(mask: Uint8Array, width: number, height: number, r: number): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let dy = -r; dy <= r && !out[y * width + x]; dy++) {
        for (let dx = -r; dx <= r; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx >= 0 && ny >= 0 && nx < width && ny < height && mask[ny * width + nx]) {
            out[y * width + x] = 1;
            break;
          }
        }
      }
    }
  }
  return out;
}

describe('inpaint masks', () => {
  test('dilate matches the definition on random masks', () => {
    for (const [w, h, density, r] of [
      [37, 23, 0.02, 3],
      [50, 40, 0.005, 5],
      [9, 7, 0.1, 1],
      [20, 20, 0, 2],
    ] as const) {
      const mask = randomMask(w, h, density, w * h);
      assert.deepEqual(dilate(mask, w, h, r), dilateSlow(mask, w, h, r));
    }
  });

  test('patch sets: sources never touch the hole, targets cover every hole pixel', () => {
    const w = 60;
    const h = 45;
    const r = 3;
    const hole = randomMask(w, h, 0.01, 7);
    hole[0] = 1; // a hole pixel in the corner must still be covered by a target patch
    const { targets, valid, sources } = patchSets(hole, w, h, r);
    assert.equal(
      sources.length,
      valid.reduce((a, b) => a + b, 0),
    );
    for (const s of sources) {
      const x = s % w;
      const y = Math.floor(s / w);
      assert.ok(x >= r && y >= r && x < w - r && y < h - r, 'source patch inside the image');
      for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) assert.equal(hole[(y + dy) * w + x + dx], 0);
    }
    const covered = new Uint8Array(w * h);
    for (const t of targets) {
      const x = t % w;
      const y = Math.floor(t / w);
      for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) covered[(y + dy) * w + x + dx] = 1;
    }
    for (let i = 0; i < hole.length; i++) if (hole[i]) assert.equal(covered[i], 1, `hole pixel ${i} covered`);
  });

  test('distanceToKnown is 0 outside, 1 on the hole border and grows inwards', () => {
    const w = 21;
    const hole = new Uint8Array(w * w);
    for (let y = 5; y <= 15; y++) for (let x = 5; x <= 15; x++) hole[y * w + x] = 1;
    const d = distanceToKnown(hole, w, w);
    assert.equal(d[0], 0);
    assert.equal(d[5 * w + 10], 1);
    assert.equal(d[10 * w + 10], 6);
    assert.ok(d[7 * w + 10] < d[8 * w + 10]);
  });
});
