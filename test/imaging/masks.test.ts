import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { featherInward, growPlane, maskFromLayer, shrinkPlane, thresholdPlane, type Plane } from '../../src/imaging/masks.js';
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
  test("shrink and grow move a white square's edges by the radius", async () => {
    const square = squarePlane(100, 30, 70);
    assert.deepEqual(box(await shrinkPlane(square, 5)), [35, 35, 65, 65]);
    assert.deepEqual(box(await growPlane(square, 5)), [25, 25, 75, 75]);
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
