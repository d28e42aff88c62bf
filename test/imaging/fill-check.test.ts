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

test('a smear over part of the fill (a translucent ghost on fur) is named, though the median over all of it passes', () => {
  // The left 40% of the hole is a soft blend of two colours, the rest the photo's own fur.
  const check = withHole((d, p) => {
    const x = (p / 3) % width;
    if (x >= 96 + 26) return;
    const t = (x - 96) / 26;
    d[p] = Math.round(90 + 60 * t);
    d[p + 1] = Math.round(110 + 40 * t);
    d[p + 2] = Math.round(80 + 50 * t);
  });
  assert.ok(check.smoothShare > 0.3, `smooth share ${check.smoothShare}`);
  assert.match(check.problem ?? '', /translucent smear/);
  // The untouched fur has no such part.
  assert.ok(checkFill({ ...photo, hole, ring }).smoothShare < 0.1);
});
