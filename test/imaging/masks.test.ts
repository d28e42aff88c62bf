import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { erodeGrey } from '../../src/imaging/grey-morphology.js';
import { featherInward, growPlane, maskFromLayer, thresholdPlane, type Plane } from '../../src/imaging/masks.js';
import { blendByWeight, minPlanes, multiplyPlanes } from '../../src/imaging/blend.js';
import { testImagingPool } from '../helpers/engine-context.js';
import type { RawImage } from '../../src/imaging/raw-image.js';
import { loadPhoto, rectMask } from './photo-fixtures.js';

const work = { pool: testImagingPool() };

function squarePlane(size: number, from: number, to: number, value = 255): Plane {
  const data = new Uint8Array(size * size);
  for (let y = from; y < to; y++) data.fill(value, y * size + from, y * size + to);
  return { data, width: size, height: size };
}

function box(plane: Plane): [number, number, number, number] | null {
  let minX = Infinity,
    minY = Infinity,
    maxX = -1,
    maxY = -1;
  for (let y = 0; y < plane.height; y++) {
    for (let x = 0; x < plane.width; x++) {
      if (plane.data[y * plane.width + x] <= 127) continue;
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    }
  }
  return maxX < 0 ? null : [minX, minY, maxX + 1, maxY + 1];
}

describe('mask conventions', () => {
  test('luma (Stability / IOPaint): white edits, black keeps, grey is partial strength', async () => {
    const layer = rectMask(100, 80, { left: 10, top: 10, width: 30, height: 20 });
    layer.data.fill(128, (50 * 100 + 60) * 3, (50 * 100 + 70) * 3);
    const plane = await maskFromLayer(layer, 'luma', 100, 80);
    assert.equal(plane.data[15 * 100 + 15], 255);
    assert.equal(plane.data[5 * 100 + 5], 0);
    assert.ok(Math.abs(plane.data[50 * 100 + 65] - 128) <= 1);
  });

  test('alpha (OpenAI): transparent edits, opaque keeps, whatever the colours', async () => {
    const photo = await loadPhoto('chelsea');
    const data = Buffer.alloc(photo.width * photo.height * 4);
    for (let p = 0; p < photo.width * photo.height; p++) {
      photo.data.copy(data, p * 4, p * 3, p * 3 + 3);
      const x = p % photo.width;
      data[p * 4 + 3] = x < 100 ? 0 : 255;
    }
    const layer: RawImage = { ...photo, data, channels: 4 };
    const plane = await maskFromLayer(layer, 'alpha', photo.width, photo.height);
    assert.equal(plane.data[10], 255);
    assert.equal(plane.data[200], 0);
  });

  test('a mask of another size is stretched over the whole base', async () => {
    const layer = rectMask(50, 40, { left: 25, top: 0, width: 25, height: 40 });
    const plane = await maskFromLayer(layer, 'luma', 200, 100);
    assert.equal(plane.width, 200);
    assert.equal(plane.height, 100);
    assert.deepEqual(box(plane), [100, 0, 200, 100]);
  });
});

describe('plane morphology', () => {
  test("erosion and growing move a white square's edges by the radius", async () => {
    const square = squarePlane(100, 30, 70);
    assert.deepEqual(box({ ...square, data: erodeGrey(square.data, 100, 100, 5) }), [35, 35, 65, 65]);
    assert.deepEqual(box(await growPlane(square, 5)), [25, 25, 75, 75]);
  });

  test('grey erosion is the minimum over the square, on any values', () => {
    const data = Uint8Array.from([9, 200, 200, 200, 50, 200, 200, 200, 200]);
    assert.deepEqual([...erodeGrey(data, 3, 3, 1)], [9, 9, 50, 9, 9, 50, 50, 50, 50]);
  });

  test('threshold makes a plane binary', async () => {
    const plane = squarePlane(20, 5, 15, 100);
    const binary = await thresholdPlane(plane, 99);
    assert.equal(binary.data[10 * 20 + 10], 255);
    assert.equal(binary.data[0], 0);
    assert.equal((await thresholdPlane(plane, 100)).data[10 * 20 + 10], 0);
  });

  test('feathering is inward only: zero stays zero, nothing gets stronger, the core stays full', async () => {
    const square = squarePlane(100, 20, 80);
    square.data.fill(90, 50 * 100 + 20, 50 * 100 + 80);
    const soft = await featherInward(square, 4, work);
    for (let i = 0; i < soft.data.length; i++) {
      assert.ok(soft.data[i] <= square.data[i], `pixel ${i} grew`);
      if (square.data[i] === 0) assert.equal(soft.data[i], 0);
    }
    assert.equal(soft.data[35 * 100 + 35], 255);
    assert.ok(soft.data[21 * 100 + 50] < 128, 'the edge is not softened');
  });

  test('feathering keeps partial strength where it meets partial strength (127 beside 128 is not an edge)', async () => {
    // libvips' morphology, used before, combines values bit by bit (it is meant for 0/255 images):
    // 127 & 128 = 0, so where a soft mask crossed 128 it cut a line of zero weight, which an edit then
    // drew as a contour line (seen on a cat's matte).
    const data = new Uint8Array(100 * 100);
    for (let y = 10; y < 90; y++) {
      data.fill(127, y * 100 + 10, y * 100 + 50);
      data.fill(128, y * 100 + 50, y * 100 + 90);
    }
    const soft = await featherInward({ data, width: 100, height: 100 }, 4, work);
    for (const x of [48, 49, 50, 51]) assert.ok(soft.data[50 * 100 + x] >= 120, `x=${x}: ${soft.data[50 * 100 + x]}`);
  });

  test('feathering a soft mask (a matte) draws no contour lines: across it, values rise once and fall once', async () => {
    // A disc at (nearly) full strength out to 20 px that fades to nothing at 40 px, like a segmentation
    // matte: its core is 250 to 255, not exactly 255. (libvips' morphology, used before, is binary: it
    // took every value under 255 for background and cut holes and contour lines into such a core.)
    const data = new Uint8Array(100 * 100);
    for (let y = 0; y < 100; y++)
      for (let x = 0; x < 100; x++) {
        const d = Math.hypot(x - 50, y - 50);
        data[y * 100 + x] = Math.round((250 + ((x * 7 + y * 13) % 6)) * Math.min(1, Math.max(0, (40 - d) / 20)));
      }
    const soft = await featherInward({ data, width: 100, height: 100 }, 4, work);
    assert.ok(soft.data[50 * 100 + 50] >= 240, `the core fell to ${soft.data[50 * 100 + 50]}`);
    for (const y of [50, 40, 30]) {
      const row = [...soft.data.subarray(y * 100, y * 100 + 100)];
      // Rises to the core and falls after it, give or take the core's own 250..255 grain.
      for (let x = 1; x <= 50; x++) assert.ok(row[x] >= row[x - 1] - 6, `row ${y} dips at x=${x}: ${row.slice(0, 51)}`);
      for (let x = 51; x < 100; x++) assert.ok(row[x] <= row[x - 1] + 6, `row ${y} rises at x=${x}`);
    }
  });
});

describe('blend kernel', () => {
  test('weight 0 copies the base bit for bit; 255 takes the source; grey mixes', () => {
    const base = Uint8Array.from([10, 20, 30, 40, 50, 60, 70, 80, 90]);
    const out = blendByWeight({
      base,
      baseWidth: 3,
      baseHeight: 1,
      baseChannels: 3,
      source: { color: [250, 250, 250] },
      weight: Uint8Array.from([0, 255, 128]),
    });
    const mix = (v: number) => Math.round((v * 127 + 250 * 128) / 255);
    assert.deepEqual([...out], [10, 20, 30, 250, 250, 250, mix(70), mix(80), mix(90)]);
  });

  test('a rect blend touches nothing outside the rect, and makes RGBA opaque where it paints', () => {
    const base = new Uint8Array(4 * 4 * 4).fill(7);
    const out = blendByWeight({
      base,
      baseWidth: 4,
      baseHeight: 4,
      baseChannels: 4,
      source: { data: new Uint8Array(2 * 2 * 3).fill(200), channels: 3 },
      weight: new Uint8Array(4).fill(255),
      rect: { left: 1, top: 1, width: 2, height: 2 },
    });
    for (let p = 0; p < 16; p++) {
      const inside = p % 4 >= 1 && p % 4 <= 2 && Math.floor(p / 4) >= 1 && Math.floor(p / 4) <= 2;
      assert.deepEqual([...out.subarray(p * 4, p * 4 + 4)], inside ? [200, 200, 200, 255] : [7, 7, 7, 7]);
    }
  });

  test('min and multiply of weights', () => {
    assert.deepEqual([...minPlanes(Uint8Array.from([1, 200]), Uint8Array.from([5, 100]))], [1, 100]);
    assert.deepEqual([...multiplyPlanes(Uint8Array.from([255, 128, 0]), Uint8Array.from([255, 255, 9]))], [255, 128, 0]);
  });
});
