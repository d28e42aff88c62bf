import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addTransform, parseRatio, ratioCrop, transformPlane } from '../../src/imaging/geometry.js';
import { sharpFromRaw } from '../../src/imaging/raw-image.js';
import { loadPhoto } from './photo-fixtures.js';

describe('geometry', () => {
  test('a quarter turn swaps width and height and moves the top-left pixel to the top-right', async () => {
    const photo = await loadPhoto('chelsea');
    const { data, info } = await addTransform(sharpFromRaw(photo), { kind: 'rotate', degrees: 90 })
      .raw()
      .toBuffer({ resolveWithObject: true });
    assert.deepEqual([info.width, info.height], [photo.height, photo.width]);
    const topRight = (info.width - 1) * 3;
    assert.deepEqual([...data.subarray(topRight, topRight + 3)], [...photo.data.subarray(0, 3)]);
  });

  test('a horizontal flip mirrors rows; doing it twice gives the input back', async () => {
    const photo = await loadPhoto('coffee', 200);
    const once = await addTransform(sharpFromRaw(photo), { kind: 'flip', axis: 'horizontal' }).raw().toBuffer();
    const last = (photo.width - 1) * 3;
    assert.deepEqual([...once.subarray(0, 3)], [...photo.data.subarray(last, last + 3)]);
    const twice = await addTransform(sharpFromRaw({ ...photo, data: once }), { kind: 'flip', axis: 'horizontal' })
      .raw()
      .toBuffer();
    assert.deepEqual(twice, photo.data);
  });

  test('planes follow the same transform as the picture', async () => {
    const data = new Uint8Array(4 * 2);
    data[0] = 255; // top-left
    const turned = await transformPlane({ data, width: 4, height: 2 }, { kind: 'rotate', degrees: 90 });
    assert.deepEqual([turned.width, turned.height], [2, 4]);
    assert.equal(turned.data[1], 255); // now top-right
  });

  test('ratio crops are the largest rectangle of the ratio, never larger than the picture', () => {
    assert.deepEqual(ratioCrop(1200, 800, [1, 1]), { left: 200, top: 0, width: 800, height: 800 });
    assert.deepEqual(ratioCrop(1200, 800, [16, 9]), { left: 0, top: 63, width: 1200, height: 675 });
    assert.deepEqual(ratioCrop(100, 100, [1, 1]), { left: 0, top: 0, width: 100, height: 100 });
  });

  test('subject-aware crops keep the subject box in frame, or centre on it when it is too big', () => {
    const subject = { left: 900, right: 1100, top: 100, bottom: 700, count: 1, centerX: 1000, centerY: 400 };
    assert.deepEqual(ratioCrop(1200, 800, [1, 1], subject), { left: 400, top: 0, width: 800, height: 800 });
    const wide = { left: 0, right: 1000, top: 0, bottom: 800, count: 1, centerX: 300, centerY: 400 };
    assert.equal(ratioCrop(1200, 800, [1, 1], wide).left, 0);
    const nearEdge = { left: 1150, right: 1200, top: 0, bottom: 800, count: 1, centerX: 1190, centerY: 400 };
    assert.equal(ratioCrop(1200, 800, [1, 1], nearEdge).left, 400);
    // A standing person in a landscape crop: the head stays in, the feet go.
    const standing = { left: 400, right: 600, top: 100, bottom: 800, count: 1, centerX: 500, centerY: 500 };
    assert.equal(ratioCrop(1000, 800, [16, 9], standing).top, 100 - Math.round(0.05 * 563));
  });

  test('ratios are read from "16:9", "4x5" and "3 by 2"', () => {
    assert.deepEqual(parseRatio('16:9'), [16, 9]);
    assert.deepEqual(parseRatio('4x5'), [4, 5]);
    assert.deepEqual(parseRatio('3 by 2'), [3, 2]);
    assert.equal(parseRatio('0:1'), null);
    assert.equal(parseRatio('wide'), null);
  });
});
