import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RawImage } from '../../src/imaging/raw-image.js';
import { groupLines, signPlate } from '../../src/imaging/sign-plate.js';

/** A white plate (x 60..179, y 40..159) in a black frame 5 px wide, on a noisy green background. */
function signPicture(): RawImage {
  const width = 240;
  const height = 200;
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 3;
      const inFrame = x >= 55 && x < 185 && y >= 35 && y < 165;
      const inFace = x >= 60 && x < 180 && y >= 40 && y < 160;
      const noise = ((x * 7 + y * 13) % 23) * 2;
      const rgb = inFace ? [235, 235, 230] : inFrame ? [20, 20, 20] : [40 + noise, 90 + noise, 40];
      data.set(rgb, p);
    }
  }
  // Two lines of dark "letters".
  for (const [top, bottom] of [
    [60, 80],
    [95, 115],
  ]) {
    for (let y = top; y < bottom; y++)
      for (let x = 75; x < 165; x += 6) data.fill(25, (y * width + x) * 3, (y * width + x + 3) * 3);
  }
  return { data, width, height, channels: 3 };
}

const lines = [
  { left: 72, top: 58, width: 96, height: 24 },
  { left: 72, top: 93, width: 96, height: 24 },
];

test('lines that stack are one sign; a line far off is another', () => {
  const far = { left: 10, top: 180, width: 30, height: 10 };
  const groups = groupLines([...lines, far]);
  assert.equal(groups.length, 2);
  assert.equal(groups.find((g) => g.length === 2)?.length, 2);
});

test("the plate is the sign's face around its text, frame included", () => {
  const plate = signPlate(signPicture(), lines);
  // The face spans 60..179 x 40..159 and the frame 5 px more; the plate covers both, and not much more.
  assert.ok(plate.left <= 55 && plate.left >= 45, JSON.stringify(plate));
  assert.ok(plate.top <= 35 && plate.top >= 25, JSON.stringify(plate));
  assert.ok(plate.left + plate.width >= 185 && plate.left + plate.width <= 195, JSON.stringify(plate));
  assert.ok(plate.top + plate.height >= 165 && plate.top + plate.height <= 175, JSON.stringify(plate));
});

test('a plate colour that runs on into the surroundings is not trusted: the text box, grown, stands in', () => {
  const image = signPicture();
  // A plate with no frame on a wall of its own white: the flood would run to the search limit.
  for (let i = 0; i < image.width * image.height; i++) {
    const x = i % image.width;
    const y = Math.floor(i / image.width);
    if (!(x >= 60 && x < 180 && y >= 40 && y < 160)) image.data.set([235, 235, 230], i * 3);
  }
  const plate = signPlate(image, lines);
  assert.ok(plate.width < 150 && plate.height < 110, JSON.stringify(plate));
});
