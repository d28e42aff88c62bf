import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { coverWith, radialFalloff, renderBackdrop } from '../../src/imaging/backdrop.js';
import { luma, parseColor } from '../../src/imaging/colors.js';
import { loadPhoto } from './photo-fixtures.js';

const px = (img: { data: Uint8Array; width: number }, x: number, y: number) => {
  const i = (y * img.width + x) * 3;
  return [img.data[i], img.data[i + 1], img.data[i + 2]] as const;
};

describe('backdrops', () => {
  test('a colour backdrop is that colour everywhere', async () => {
    const out = await renderBackdrop({ kind: 'color', color: [10, 200, 30] }, 64, 48);
    for (let i = 0; i < out.data.length; i += 3) assert.deepEqual([...out.data.subarray(i, i + 3)], [10, 200, 30]);
  });

  test('the studio backdrop is a soft neutral grey, lighter behind the subject than at the edges', async () => {
    const out = await renderBackdrop({ kind: 'studio' }, 800, 600);
    const centre = px(out, 400, 250);
    const corner = px(out, 2, 597);
    assert.ok(luma(centre) > luma(corner) + 40, `centre ${centre} corner ${corner}`);
    assert.ok(Math.max(...centre) - Math.min(...centre) <= 6, 'centre is not neutral grey');
    // Soft: neighbouring pixels never jump.
    for (let x = 1; x < 800; x++) assert.ok(Math.abs(px(out, x, 300)[1] - px(out, x - 1, 300)[1]) <= 2);
  });

  test('a vertical gradient runs from the first colour at the top to the second at the bottom', async () => {
    const from = parseColor('navy')!;
    const to = parseColor('teal')!;
    const out = await renderBackdrop({ kind: 'gradient', from, to, direction: 'vertical' }, 100, 400);
    const top = px(out, 50, 0);
    const bottom = px(out, 50, 399);
    for (const [c, v] of top.entries()) assert.ok(Math.abs(v - from[c]) <= 3, `top ${top}`);
    for (const [c, v] of bottom.entries()) assert.ok(Math.abs(v - to[c]) <= 3, `bottom ${bottom}`);
  });

  test('the vignette weight is 0 in the middle and strongest in the corners', async () => {
    const weight = await radialFalloff(300, 200, 0.5);
    assert.equal(weight[100 * 300 + 150], 0);
    assert.ok(weight[0] > 100 && weight[0] <= 128);
  });

  test('a background picture is scaled to cover the base exactly', async () => {
    const out = await coverWith(await loadPhoto('rocket'), 500, 200);
    assert.deepEqual([out.width, out.height, out.channels, out.data.length], [500, 200, 3, 500 * 200 * 3]);
  });

  test('colours are read from names and hex codes', () => {
    assert.deepEqual(parseColor('Light Grey'), [211, 211, 211]);
    assert.deepEqual(parseColor('#f80'), [255, 136, 0]);
    assert.deepEqual(parseColor('#1e90ff'), [30, 144, 255]);
    assert.equal(parseColor('sunrise'), null);
  });
});
