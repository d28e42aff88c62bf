import assert from 'node:assert/strict';
import { writeFile, mkdir } from 'node:fs/promises';
import { test } from 'node:test';
import type { EngineRequest } from '../../../src/engines/engine.js';
import { localEditEngineFactory } from '../../../src/engines/local-edit/index.js';
import { parsePrompt } from '../../../src/engines/local-edit/prompt/parser.js';
import { readThing } from '../../../src/engines/local-edit/tools/thing-words.js';
import { ApiError } from '../../../src/errors.js';
import type { RawImage } from '../../../src/imaging/raw-image.js';
import { runEncoded, testEngineContext } from '../../helpers/engine-context.js';
import { decodePng, loadPhoto } from '../../imaging/photo-fixtures.js';

/**
 * "Remove the text from the sign" with no mask (issue 19, everyday #25): the text on the street photo's
 * sign is filled with the sign's own surface (its white face, its orange head), clipped to the plate, so the
 * printed rim stays and the foliage around the sign is untouched; text that is not on a plain plate keeps
 * the inpainting path and its self-check. Pictures go to /tmp/signtext/ when SIGNTEXT_PICTURES is set.
 */

const engine = localEditEngineFactory.create(localEditEngineFactory.optionsSchema.parse({}), testEngineContext(), 'local-edit');
const street = await loadPhoto('street');
/** The sign with its rim and border. */
const SIGN = { left: 250, top: 12, width: 197, height: 262 };
/** The black lines printed on the sign's white face ("DOUBLE PARKING PROHIBITED AT ALL TIMES"). */
const SIGN_TEXT = { left: 272, top: 85, width: 153, height: 165 };

type Box = typeof SIGN;
type Decoded = Awaited<ReturnType<typeof decodePng>>;

async function edit(prompt: string, image: RawImage, picture?: string): Promise<Decoded> {
  const request: EngineRequest = {
    operation: 'edit',
    images: [image],
    prompt,
    options: { seed: 1 },
    signal: AbortSignal.timeout(180_000),
  };
  const { png } = await runEncoded(engine, request);
  if (picture && process.env.SIGNTEXT_PICTURES) {
    await mkdir('/tmp/signtext', { recursive: true });
    await writeFile(`/tmp/signtext/${picture}.png`, png);
  }
  return decodePng(png);
}

const inside = (box: Box, x: number, y: number) =>
  x >= box.left && x < box.left + box.width && y >= box.top && y < box.top + box.height;
const lumaAt = (image: { data: Uint8Array; width: number; channels: number }, x: number, y: number) => {
  const p = (y * image.width + x) * image.channels;
  return 0.299 * image.data[p] + 0.587 * image.data[p + 1] + 0.114 * image.data[p + 2];
};

test('"remove the text from the sign": the face is blank and keeps its light, the rim and the foliage stay', async () => {
  const out = await edit('remove the text from the sign', street, 'remove-the-text-from-the-sign');
  // The letters are gone: almost no dark pixels left on the face where they were (the letters held ~35%).
  let dark = 0;
  let count = 0;
  for (let y = SIGN_TEXT.top; y < SIGN_TEXT.top + SIGN_TEXT.height; y++) {
    for (let x = SIGN_TEXT.left; x < SIGN_TEXT.left + SIGN_TEXT.width; x++) {
      count++;
      if (lumaAt(out, x, y) < 120) dark++;
    }
  }
  assert.ok(dark / count < 0.005, `${((100 * dark) / count).toFixed(2)}% of the face is still dark`);
  // Nothing outside the sign changed: the newspaper box's "The Washington Post", text on a plate too, is
  // not on the sign and stays.
  for (let y = 0; y < street.height; y++) {
    for (let x = 0; x < street.width; x++) {
      if (inside(SIGN, x, y)) continue;
      const p = y * street.width + x;
      for (let k = 0; k < 3; k++) assert.equal(out.data[p * out.channels + k], street.data[p * 3 + k], `changed at ${x},${y}`);
    }
  }
  // The printed black rim beside the face stays dark, and the orange head stays orange (no rim wiped to white).
  for (let y = 100; y < 240; y += 10) {
    const rim = Math.min(...[262, 263, 264, 265, 266, 267].map((x) => lumaAt(out, x, y)));
    assert.ok(rim < 90, `the left rim at row ${y} is ${Math.round(rim)}`);
  }
  for (const [x, y] of [
    [300, 55],
    [400, 45],
  ]) {
    const p = (y * out.width + x) * out.channels;
    assert.ok(out.data[p] > 180 && out.data[p + 1] < 120 && out.data[p + 2] < 100, `the head at ${x},${y} is orange`);
  }
  // Not a flat constant: the face keeps the light falling across it (the original's white, between the
  // letters, is lighter at the top than at the bottom; the fill goes the same way).
  const rows = (image: { data: Uint8Array; width: number; channels: number }, top: number, bottom: number, face: boolean) => {
    const values: number[] = [];
    for (let y = top; y < bottom; y++) {
      for (let x = SIGN_TEXT.left + 5; x < SIGN_TEXT.left + SIGN_TEXT.width - 5; x++) {
        const v = lumaAt(image, x, y);
        if (!face || v > 170) values.push(v);
      }
    }
    return values.reduce((a, b) => a + b, 0) / values.length;
  };
  const before = rows(street, 90, 130, true) - rows(street, 205, 245, true);
  const after = rows(out, 90, 130, false) - rows(out, 205, 245, false);
  assert.ok(Math.abs(after) > 1, `the fill is flat (top - bottom ${after.toFixed(2)})`);
  assert.ok(
    Math.sign(after) === Math.sign(before),
    `the light goes the other way (${after.toFixed(2)} against ${before.toFixed(2)})`,
  );
});

test('text over foliage is not filled with a plate: it keeps the inpainting path (and its self-check)', async () => {
  const withText = await edit('add the text SALE in the top right corner', street);
  const image: RawImage = {
    data: withText.data,
    width: withText.width,
    height: withText.height,
    channels: withText.channels as RawImage['channels'],
  };
  const SALE = { left: 520, top: 0, width: 280, height: 110 };
  let out: Decoded;
  try {
    out = await edit('remove the text', image, 'remove-text-over-foliage');
  } catch (error) {
    // The inpainting's own check refused its smear over the foliage: not the plate's check.
    assert.ok(error instanceof ApiError && error.status === 400, String(error));
    assert.doesNotMatch(error.message, /plate/);
    assert.match(error.message, /smear|darker|lighter|too large/);
    return;
  }
  // Answered (whole blocks of the leaves around it, inpaint/quilt.ts): where the letters were is textured
  // as the leaves and trunk under them were (median step 4.0 there in the photo), not a plane of one colour.
  const medianStep = (picture: { data: Uint8Array; width: number; channels: number }) => {
    const diffs: number[] = [];
    for (let y = SALE.top + 20; y < SALE.top + SALE.height - 20; y++) {
      for (let x = SALE.left + 20; x < SALE.left + SALE.width - 20; x++)
        diffs.push(Math.abs(lumaAt(picture, x, y) - lumaAt(picture, x + 1, y)));
    }
    diffs.sort((a, b) => a - b);
    return diffs[Math.floor(diffs.length / 2)];
  };
  const [filled, photo] = [medianStep(out), medianStep(street)];
  assert.ok(filled >= 0.6 * photo, `the fill's median step ${filled} against ${photo} in the photo there`);
});

test('a watermark over fur and a blurred room is not on a plate: inpainted as before, not painted over with one plane', async () => {
  const photo = await loadPhoto('watermarked');
  const out = await edit('remove the watermark', photo, 'remove-the-watermark');
  // "© Chelsea Photo 2024": the fill runs from the cat's fur to a light wall, as the picture does there.
  const values: number[] = [];
  for (let y = 266; y < 290; y++) for (let x = 191; x < 444; x++) values.push(lumaAt(out, x, y));
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
  assert.ok(std > 15, `the line's fill is nearly one plane (std ${std.toFixed(1)})`);
});

test('"remove the logo from the sign" asks for its lettering, not the sign; "remove the logo" alone still needs a mask', () => {
  const named = (prompt: string) => {
    const [step] = parsePrompt(prompt).steps;
    return step.op === 'inpaint' && step.target.kind === 'object' ? readThing(step.target.phrase)?.wanted.name : undefined;
  };
  assert.equal(named('remove the logo from the sign'), 'text');
  assert.equal(named('remove the writing from the sign'), 'text');
  assert.equal(named('remove the lettering on the board'), 'text');
  assert.equal(named('remove the sign'), 'sign');
  assert.equal(named('remove the logo'), undefined);
});
