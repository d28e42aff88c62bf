import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkPlateFill } from '../../src/imaging/plate-fill-check.js';
import { readTextPlates } from '../../src/imaging/plate-text.js';
import type { RawImage } from '../../src/imaging/raw-image.js';

/**
 * Text on a plate, on synthetic pictures whose every pixel is known: a white plate with a printed red rim
 * over noisy "foliage", dark letters on it; and the same letters over the foliage itself.
 */

const W = 200;
const H = 140;
/** The plate's outer edge, its red rim (6 px) and its white face inside. */
const PLATE = { left: 40, top: 30, width: 120, height: 80 };
const RIM = 6;
/** The line of text the detector would give (its box, inside the face), and the letters in it. */
const LINE = { left: 60, top: 55, width: 80, height: 30 };
const LETTERS = [0, 1, 2, 3].map((k) => ({ left: 64 + 19 * k, top: 60, width: 10, height: 20 }));

const inBox = (b: { left: number; top: number; width: number; height: number }, x: number, y: number) =>
  x >= b.left && x < b.left + b.width && y >= b.top && y < b.top + b.height;

/** Deterministic noise (a hash of the position). */
const noise = (x: number, y: number) => (((x * 73856093) ^ (y * 19349663)) >>> 0) % 61;

function picture(onPlate: boolean): RawImage {
  const data = Buffer.alloc(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const p = (y * W + x) * 3;
      let c = [30 + noise(x, y), 80 + noise(y, x), 30 + noise(x + 7, y)];
      if (onPlate && inBox(PLATE, x, y)) {
        const face = inBox(
          { left: PLATE.left + RIM, top: PLATE.top + RIM, width: PLATE.width - 2 * RIM, height: PLATE.height - 2 * RIM },
          x,
          y,
        );
        // A white face lit from the left (a gentle gradient), inside a red rim.
        c = face ? [235 - (x - PLATE.left) / 8, 235 - (x - PLATE.left) / 8, 232 - (x - PLATE.left) / 8] : [200, 30, 30];
      }
      if (LETTERS.some((l) => inBox(l, x, y))) c = [20, 20, 20];
      data[p] = c[0];
      data[p + 1] = c[1];
      data[p + 2] = c[2];
    }
  }
  return { data, width: W, height: H, channels: 3 };
}

/** The found mask: the line's box grown by 12 px, past the face, over the rim and into the foliage. */
function grownMask(): Uint8Array {
  const grown = { left: LINE.left - 12, top: LINE.top - 12, width: LINE.width + 24, height: LINE.height + 24 };
  const mask = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if (inBox(grown, x, y)) mask[y * W + x] = 255;
  return mask;
}

test('text on a plain plate: the hole takes every letter and stays on the face, off the rim and the foliage', () => {
  const image = picture(true);
  const mask = grownMask();
  // Reach into the rim and the foliage below the plate: the mask crosses the plate's bottom edge.
  for (let y = 95; y < 118; y++) for (let x = 60; x < 140; x++) mask[y * W + x] = 255;
  const { plates, rest } = readTextPlates(image, [LINE], mask);
  assert.equal(plates.length, 1);
  assert.ok(
    rest.every((v) => v === 0),
    'nothing is left to inpaint',
  );
  const [plate] = plates;
  for (const l of LETTERS) {
    for (let y = l.top; y < l.top + l.height; y++)
      for (let x = l.left; x < l.left + l.width; x++)
        assert.equal(plate.hole[y * W + x], 255, `letter pixel ${x},${y} is filled`);
  }
  const face = { left: PLATE.left + RIM, top: PLATE.top + RIM, width: PLATE.width - 2 * RIM, height: PLATE.height - 2 * RIM };
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++)
      if (plate.hole[y * W + x]) assert.ok(inBox(face, x, y), `the hole reaches ${x},${y}, off the face`);
  }
  // And it reaches the face's bottom, up to the rim's margin.
  assert.equal(plate.hole[(face.top + face.height - 4) * W + 100], 255);
});

test('text over foliage is not on a plate: its piece is left to the inpainting', () => {
  const image = picture(false);
  const mask = grownMask();
  const { plates, rest } = readTextPlates(image, [LINE], mask);
  assert.equal(plates.length, 0);
  assert.deepEqual(rest, mask);
});

/** A plate of `plate(x, y)` luma everywhere in a 100 x 60 window, filled in its middle with `fill(x, y)`. */
function plateFill(plate: (x: number, y: number) => number, fill: (x: number, y: number) => number) {
  const w = 100;
  const h = 60;
  const before = Buffer.alloc(w * h * 3);
  const after = Buffer.alloc(w * h * 3);
  const hole = new Uint8Array(w * h);
  const surface = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const inHole = x >= 20 && x < 80 && y >= 15 && y < 45;
      hole[i] = inHole ? 255 : 0;
      // The plate's own pixels: everywhere but the letters (every other 6-pixel column in the hole).
      surface[i] = inHole && Math.floor(x / 6) % 2 === 0 ? 0 : 255;
      before.fill(Math.round(plate(x, y)), i * 3, i * 3 + 3);
      after.fill(Math.round(inHole ? fill(x, y) : plate(x, y)), i * 3, i * 3 + 3);
    }
  }
  const image = (data: Buffer): RawImage => ({ data, width: w, height: h, channels: 3 });
  return checkPlateFill({
    before: image(before),
    after: image(after),
    hole,
    surface,
    window: { left: 0, top: 0, width: w, height: h },
  });
}

test('the plate fill check: a plane on a plain, shaded face passes; a plane on a textured plate is refused', () => {
  const shaded = (x: number, y: number) => 220 - x / 10 - y / 20 + (noise(x, y) % 3);
  assert.equal(plateFill(shaded, (x, y) => 221 - x / 10 - y / 20).problem, null);
  // Wood grain or a brick wall: a smooth fill of its colour is a smear, however well the colour matches.
  const grain = (x: number, y: number) => 140 + (noise(x, y) % 40) - 20;
  assert.match(plateFill(grain, () => 140).problem ?? '', /smooth smear.*on the plate/);
  // A fill far darker than the plate (a bad fit) is refused too.
  assert.match(plateFill(shaded, () => 150).problem ?? '', /darker/);
});
