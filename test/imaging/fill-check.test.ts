import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkFill } from '../../src/imaging/fill-check.js';
import { loadPhoto } from './photo-fixtures.js';

/** The fill self-check: a smear (too dark, too light, or smooth in texture) is named; a plausible fill is not. */

const photo = await loadPhoto('baboon', 256);
const { width, height } = photo;
const hole = new Uint8Array(width * height);
const ring = new Uint8Array(width * height);
for (let y = 0; y < height; y++) {
  for (let x = 0; x < width; x++) {
    const inside = (a: number) => x >= 96 - a && x < 160 + a && y >= 96 - a && y < 160 + a;
    hole[y * width + x] = inside(0) ? 255 : 0;
    ring[y * width + x] = inside(12) ? 255 : 0;
  }
}
const withHole = (paint: (data: Buffer, p: number) => void) => {
  const data = Buffer.from(photo.data);
  for (let i = 0; i < hole.length; i++) if (hole[i]) paint(data, i * 3);
  return checkFill({ ...photo, data, hole, ring });
};

test('the untouched picture passes: its own texture is a plausible fill', () => {
  assert.equal(checkFill({ ...photo, hole, ring }).problem, null);
});

test('a dark smear, a light one and a flat fill are each named', () => {
  assert.match(withHole((d, p) => d.fill(8, p, p + 3)).problem ?? '', /darker/);
  assert.match(withHole((d, p) => d.fill(250, p, p + 3)).problem ?? '', /lighter/);
  const mean = checkFill({ ...photo, hole, ring }).holeLuma;
  assert.match(withHole((d, p) => d.fill(Math.round(mean), p, p + 3)).problem ?? '', /smooth smear/);
});
