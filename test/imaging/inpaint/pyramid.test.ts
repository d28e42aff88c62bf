import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { downsample, type Level } from '../../../src/imaging/inpaint/pyramid.js';

describe('inpaint pyramid', () => {
  test('downsampling reads known pixels only and grows the hole conservatively', () => {
    const width = 33;
    const height = 20;
    const pixels = new Float32Array(width * height * 3);
    const hole = new Uint8Array(width * height);
    for (let i = 0; i < width * height; i++) {
      const x = i % width;
      pixels.set([x * 4, 100, 200 - x * 2], i * 3);
    }
    for (let y = 6; y < 11; y++) {
      for (let x = 9; x < 14; x++) {
        hole[y * width + x] = 1;
        pixels.set([9999, 9999, 9999], (y * width + x) * 3); // garbage that must not leak
      }
    }
    const coarse = downsample({ width, height, channels: 3, pixels, hole } satisfies Level);
    assert.equal(coarse.width, 17);
    assert.equal(coarse.height, 10);
    let checked = 0;
    for (let i = 0; i < coarse.width * coarse.height; i++) {
      const x = i % coarse.width;
      const y = Math.floor(i / coarse.width);
      for (let c = 0; c < 3; c++) assert.ok(coarse.pixels[i * 3 + c] <= 255, `no hole value leaked at ${i}`);
      if (!coarse.hole[i]) assert.ok(Math.abs(coarse.pixels[i * 3 + 1] - 100) < 1e-3);
      // Where the whole 5x5 footprint is known and inside the image, a ramp stays a ramp: fine x = 2x.
      if (x >= 1 && y >= 1 && 2 * x + 2 < width && 2 * y + 2 < height && footprintKnown(hole, width, x, y)) {
        assert.ok(Math.abs(coarse.pixels[i * 3] - 8 * x) < 1e-3, `ramp at ${x},${y}`);
        checked++;
      }
    }
    assert.ok(checked > 50);
    // Every fine hole pixel lies under a coarse hole pixel.
    for (let y = 6; y < 11; y++) for (let x = 9; x < 14; x++) assert.equal(coarse.hole[(y >> 1) * coarse.width + (x >> 1)], 1);
    assert.equal(coarse.hole[0], 0);
  });
});

function footprintKnown(hole: Uint8Array, width: number, x: number, y: number): boolean {
  for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) if (hole[(2 * y + dy) * width + 2 * x + dx]) return false;
  return true;
}
