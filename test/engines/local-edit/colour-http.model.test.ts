import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { createRealApp } from '../../helpers/real-app.js';

/**
 * Colour changes that keep the shading, and the main subject by name, as a client sees them (the real
 * gateway with the detectors and the segmenter, no `model` field): the picture, the refusal, and the
 * `x-retouch-found` header that says what was edited.
 */

let app: FastifyInstance;
let auth: { authorization: string };
before(async () => {
  ({ app, auth } = await createRealApp('10', 'colour-test'));
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

/** Luma spread of the pixels that changed: a flat fill would have almost none. */
async function changedSpread(photo: string, output: Buffer): Promise<{ changed: number; std: number }> {
  const a = await sharp(`test/fixtures/${photo}`).removeAlpha().raw().toBuffer();
  const b = await sharp(output).removeAlpha().raw().toBuffer();
  const lumas: number[] = [];
  for (let i = 0; i < a.length; i += 3) {
    if (Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]) > 24)
      lumas.push(0.299 * b[i] + 0.587 * b[i + 1] + 0.114 * b[i + 2]);
  }
  const mean = lumas.reduce((s, v) => s + v, 0) / lumas.length;
  const std = Math.sqrt(lumas.reduce((s, v) => s + (v - mean) ** 2, 0) / lumas.length);
  return { changed: lumas.length, std };
}

describe('colour changes through the HTTP API', () => {
  test('"turn the motorcycle blue": the found motorcycle, named in x-retouch-found, keeps its shading', async () => {
    const res = await send('motorcycle_left.png', 'turn the motorcycle blue');
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['x-retouch-found'], 'motorcycle');
    const { changed, std } = await changedSpread('motorcycle_left.png', res.rawPayload);
    assert.ok(changed > 2000, `only ${changed} pixels changed`);
    assert.ok(std > 20, `the changed pixels are nearly flat (luma std ${std.toFixed(1)})`);
  });

  test('"turn the motorcycle red" on a red motorcycle: little changes (or an honest refusal), never a red silhouette', async () => {
    const res = await send('motorcycle_left.png', 'turn the motorcycle red');
    if (res.statusCode === 400) {
      assert.match(res.json().error, /already has that colour/);
      return;
    }
    assert.equal(res.statusCode, 200, res.body);
    const a = await sharp('test/fixtures/motorcycle_left.png').removeAlpha().raw().toBuffer();
    const b = await sharp(res.rawPayload).removeAlpha().raw().toBuffer();
    let sum = 0;
    for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
    assert.ok(sum / a.length < 4, `mean change ${(sum / a.length).toFixed(1)} per channel: the red motorcycle was repainted`);
  });

  test('"make the baboon brighter": no detector knows baboons; the main subject is used and named', async () => {
    const res = await send('baboon.jpg', 'make the baboon brighter');
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['x-retouch-found'], 'salient subject (no baboon found)');
  });

  test('"make the squirrel orange" on a cat photo: the cat is not taken for a squirrel', async () => {
    const res = await send('chelsea.png', 'make the squirrel orange');
    assert.equal(res.statusCode, 400);
    assert.match(res.json().error, /squirrel/);
  });

  test('"whiten her teeth" finds the mouth of the face', async () => {
    const res = await send('astronaut.png', 'whiten her teeth');
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['x-retouch-found']), /mouth of 1 face/);
  });
});
