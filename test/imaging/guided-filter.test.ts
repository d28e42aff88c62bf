import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyCoefficients, boxMean, colourGuide, guidedCoefficients } from '../../src/imaging/guided-filter.js';
import { gridSize, refineMatte } from '../../src/resources/segmenter/matte-refine.js';

function bruteBoxMean(src: Float32Array, w: number, h: number, r: number): Float32Array {
  const out = new Float32Array(src.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let sum = 0;
      let n = 0;
      for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) {
        for (let xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) {
          sum += src[yy * w + xx];
          n++;
        }
      }
      out[y * w + x] = sum / n;
    }
  }
  return out;
}

function random(n: number, seed = 7): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  });
}

/** A w x h RGB image, dark on the left half and bright on the right, and the matching step matte. */
function stepEdge(w: number, h: number) {
  const data = new Uint8Array(w * h * 3);
  const matte = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const right = x >= w / 2;
      data.fill(right ? 220 : 30, 3 * (y * w + x), 3 * (y * w + x) + 3);
      matte[y * w + x] = right ? 1 : 0;
    }
  }
  return { data, matte };
}

describe('boxMean', () => {
  for (const [w, h, r] of [
    [17, 11, 1],
    [9, 23, 4],
    [5, 5, 7],
  ]) {
    test(`matches the brute-force clipped window mean (${w}x${h}, r=${r})`, () => {
      const src = random(w * h);
      const fast = boxMean(src, w, h, r);
      const slow = bruteBoxMean(src, w, h, r);
      for (let i = 0; i < src.length; i++) assert.ok(Math.abs(fast[i] - slow[i]) < 1e-5, `pixel ${i}`);
    });
  }
});

describe('guided filter', () => {
  test('with a flat guide it reduces to a (twice applied) box blur of the input', () => {
    const w = 20,
      h = 12;
    const guide = colourGuide(new Uint8Array(w * h * 3).fill(128), w, h, 3);
    const p = random(w * h, 3);
    const k = guidedCoefficients(guide, p, 2, 1e-3);
    // a = 0 where the guide has no variance, so b = mean(p), and the averaged b is mean(mean(p)).
    const blurred = boxMean(boxMean(p, w, h, 2), w, h, 2);
    for (let i = 0; i < p.length; i++) assert.ok(Math.abs(k.b[i] - blurred[i]) < 1e-4 && Math.abs(k.ar[i]) < 1e-4);
  });

  test('keeps a step edge that the guide shares sharp, where a box blur would smear it', () => {
    const w = 32,
      h = 8;
    const { data, matte } = stepEdge(w, h);
    const guide = colourGuide(data, w, h, 3);
    const q = applyCoefficients(guidedCoefficients(guide, matte, 4, 1e-4), { data, width: w, height: h, channels: 3 });
    const row = 4 * w;
    assert.ok(q[row + w / 2 - 1] < 10, `left of the edge: ${q[row + w / 2 - 1]}`);
    assert.ok(q[row + w / 2] > 245, `right of the edge: ${q[row + w / 2]}`);
    const box = boxMean(matte, w, h, 4);
    assert.ok(box[row + w / 2 - 1] > 0.3, 'the box blur smears the same edge (sanity check of the test)');
  });

  test('guided upsampling puts the edge where the full-resolution photo has it', () => {
    // The coarse grid sees the edge blurred over several pixels; the 4x photo has it at one exact column.
    const W = 128,
      H = 16;
    const full = stepEdge(W, H);
    const grid = { width: 32, height: 4 };
    const gridData = new Uint8Array(grid.width * grid.height * 3);
    for (let y = 0; y < grid.height; y++) {
      for (let x = 0; x < grid.width; x++)
        gridData.fill(x >= 16 ? 220 : 30, 3 * (y * grid.width + x), 3 * (y * grid.width + x) + 3);
    }
    // A soft prediction: a ramp across 8 grid pixels around the edge.
    const side = 32;
    const prediction = new Float32Array(side * side);
    for (let y = 0; y < side; y++)
      for (let x = 0; x < side; x++) prediction[y * side + x] = Math.min(1, Math.max(0, (x - 12) / 8));
    const matte = refineMatte(
      prediction,
      side,
      { data: gridData, ...grid, channels: 3 },
      { data: full.data, width: W, height: H, channels: 3 },
    );
    const row = 8 * W;
    // A plain 4x upscale of that ramp rises by about 8 levels per pixel (255 over 8 grid pixels); the guided one jumps at the edge.
    const jump = matte[row + W / 2] - matte[row + W / 2 - 1];
    assert.ok(jump > 50, `step at the edge: ${jump}`);
    for (const x of [W / 2 - 6, W / 2 - 3, W / 2 + 3, W / 2 + 6]) {
      const step = Math.abs(matte[row + x] - matte[row + x - 1]);
      assert.ok(step < jump / 4, `away from the edge, x=${x}: ${step}`);
    }
    assert.ok(matte[row + W / 2 - 1] < 128 && matte[row + W / 2] > 128, 'the 0.5 level sits on the edge');
  });

  test('photos no larger than the grid are not filtered, only resampled', () => {
    assert.deepEqual(gridSize(640, 480), { width: 640, height: 480 });
    assert.deepEqual(gridSize(4096, 2048), { width: 1024, height: 512 });
    const w = 8,
      h = 8;
    const prediction = Float32Array.from({ length: 64 }, (_, i) => (i % 8) / 7);
    const image = { data: new Uint8Array(w * h * 3), width: w, height: h, channels: 3 };
    const matte = refineMatte(prediction, 8, image, image);
    assert.deepEqual([...matte.slice(0, 8)], [0, 36, 73, 109, 146, 182, 219, 255]);
  });
});
