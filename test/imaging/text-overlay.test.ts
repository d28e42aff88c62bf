import assert from 'node:assert/strict';
import { test } from 'node:test';
import { drawText } from '../../src/imaging/text-overlay.js';

test('text is drawn in the asked corner, at about the asked width, and nowhere else', async () => {
  const width = 600;
  const height = 400;
  const image = { data: Buffer.alloc(width * height * 3, 90), width, height, channels: 3 as const };
  const out = await drawText(image, { text: 'SALE', anchor: 'top-left', widthFraction: 1 / 3, color: [255, 255, 255] });
  let left = width,
    right = -1,
    bottom = -1,
    white = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = out.data[(y * width + x) * 3];
      if (v !== 90) {
        left = Math.min(left, x);
        right = Math.max(right, x);
        bottom = Math.max(bottom, y);
      }
      if (v > 240) white++;
    }
  }
  assert.ok(white > 500, `only ${white} white pixels: no letters drawn`);
  assert.ok(left < 40 && right < width / 2 && bottom < height / 2, `drawn at x ${left}..${right}, down to y ${bottom}`);
  assert.ok(right - left > 0.25 * width, `the text is ${right - left} px wide`);
});
