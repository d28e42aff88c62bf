import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { createRealApp } from '../../helpers/real-app.js';

/**
 * Round 2's everyday kinds as a client sees them (the real gateway, detectors and segmenter, no `model`),
 * checked by pixels on the everyday set's photos: clothes found by their colour, colour splash on them, a
 * thing that fills the frame, the background behind a named subject, and the cup whose outline holds its
 * coffee, refused rather than painted.
 */

let app: FastifyInstance;
let auth: { authorization: string };
before(async () => {
  ({ app, auth } = await createRealApp('10', 'everyday-kinds-test'));
});
after(async () => {
  await app.close();
});

const send = async (photo: string, prompt: string) =>
  app.inject({
    method: 'POST',
    url: '/api/v1/image/edit',
    headers: auth,
    payload: { prompt, image: (await readFile(`test/fixtures/${photo}`)).toString('base64') },
  });

async function pixels(source: string | Buffer) {
  const input = typeof source === 'string' ? `test/fixtures/${source}` : source;
  const { data, info } = await sharp(input).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Mean colour of a box, as [r, g, b]. */
function mean(img: { data: Buffer; width: number }, left: number, top: number, width: number, height: number): number[] {
  const sum = [0, 0, 0];
  for (let y = top; y < top + height; y++)
    for (let x = left; x < left + width; x++) for (let c = 0; c < 3; c++) sum[c] += img.data[(y * img.width + x) * 3 + c];
  return sum.map((s) => s / (width * height));
}

// street.jpg (800 x 600): the woman's red shirt, the sign's orange band, the man's white shirt.
const SHIRT = [700, 440, 60, 80] as const;
const NOTICE = [275, 28, 150, 40] as const;

test('"make the woman\'s red shirt blue": the shirt turns blue, the sign\'s orange band does not', async () => {
  const res = await send('street.jpg', "make the woman's red shirt blue");
  assert.equal(res.statusCode, 200, res.body);
  assert.match(String(res.headers['x-retouch-found']), /red shirt/);
  const [before, out] = [await pixels('street.jpg'), await pixels(res.rawPayload)];
  const [r0, , b0] = mean(before, ...SHIRT);
  const [r1, , b1] = mean(out, ...SHIRT);
  assert.ok(r0 > b0 + 60 && b1 > r1 + 40, `shirt ${r0.toFixed(0)},${b0.toFixed(0)} -> ${r1.toFixed(0)},${b1.toFixed(0)}`);
  assert.deepEqual(mean(out, ...NOTICE), mean(before, ...NOTICE), 'the sign is untouched');
});

test('"black and white except the red shirt": grey everywhere but the shirt', async () => {
  const res = await send('street.jpg', 'black and white except the red shirt');
  assert.equal(res.statusCode, 200, res.body);
  const out = await pixels(res.rawPayload);
  const [r, g, b] = mean(out, ...NOTICE);
  assert.ok(Math.abs(r - g) < 3 && Math.abs(g - b) < 3, 'the sign is grey now');
  const [sr, , sb] = mean(out, ...SHIRT);
  assert.ok(sr > sb + 60, 'the shirt keeps its red');
});

test('"make the coffee cup blue": refused, because the outline found holds the coffee, not the red cup', async () => {
  const res = await send('coffee.png', 'make the coffee cup blue');
  assert.equal(res.statusCode, 400);
  assert.match(res.json().error, /outline found for the cup holds mostly orange, while its body is dark red.*send a mask/);
});

test('"make the fruits more colorful": the fruit fills the frame, so the whole picture gets the vibrance', async () => {
  const res = await send('fruits.jpg', 'make the fruits more colorful');
  assert.equal(res.statusCode, 200, res.body);
  assert.match(String(res.headers['x-retouch-found']), /whole picture \(a close-up of the fruits\)/);
  // "turn the apples green" on the same photo stays refused: a recolour never takes the whole frame.
  assert.equal((await send('fruits.jpg', 'turn the apples green')).statusCode, 400);
});

test('"blur the background behind the cat": the cat stays sharp, the background blurs', async () => {
  const res = await send('chelsea.png', 'blur the background behind the cat');
  assert.equal(res.statusCode, 200, res.body);
  const [before, out] = [await pixels('chelsea.png'), await pixels(res.rawPayload)];
  // The cat's eye (left, middle) keeps its detail; the upper right corner (background) loses it.
  const detail = (img: typeof out, left: number, top: number) => {
    let sum = 0;
    for (let y = top; y < top + 30; y++)
      for (let x = left; x < left + 30; x++)
        sum += Math.abs(img.data[(y * img.width + x) * 3] - img.data[(y * img.width + x + 1) * 3]);
    return sum / 900;
  };
  const eye = [before.width * 0.3, before.height * 0.45].map(Math.round) as [number, number];
  const corner = [before.width - 40, 10] as [number, number];
  assert.ok(detail(out, ...eye) > 0.8 * detail(before, ...eye), 'the cat is still sharp');
  assert.ok(detail(out, ...corner) < 0.7 * detail(before, ...corner), 'the background is blurred');
});
