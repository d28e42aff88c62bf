import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EngineRequest } from '../../../src/engines/engine.js';
import { localEditEngineFactory } from '../../../src/engines/local-edit/index.js';
import { checkFill } from '../../../src/imaging/fill-check.js';
import type { RawImage } from '../../../src/imaging/raw-image.js';
import { ApiError } from '../../../src/errors.js';
import { runEncoded, testEngineContext } from '../../helpers/engine-context.js';
import { decodePng, loadPhoto, lumaStats, rectMask } from '../../imaging/photo-fixtures.js';
import { findStuff } from '../../../src/imaging/stuff/find-stuff.js';

/**
 * The examples of Venice's image-edit guide, on a CPU, each on a real photo (not the guide's own), checked
 * by what pixels can tell: what must change changed, what must not did not, and what needs a generative
 * model is refused saying so. A broken picture is never an acceptable answer: where the engine cannot do
 * an example well it must refuse with a reason.
 */

const engine = localEditEngineFactory.create(localEditEngineFactory.optionsSchema.parse({}), testEngineContext(), 'local-edit');
const street = await loadPhoto('street');
const SIGN = { left: 250, top: 12, width: 197, height: 262 };
/** The sign's printed text ("DOUBLE PARKING PROHIBITED AT ALL TIMES"), inside its white face. */
const SIGN_TEXT = { left: 272, top: 85, width: 153, height: 165 };

async function edit(prompt: string, images: RawImage[]) {
  const request: EngineRequest = {
    operation: images.length > 1 ? 'multi-edit' : 'edit',
    images,
    prompt,
    options: { seed: 1 },
    signal: AbortSignal.timeout(180_000),
  };
  return decodePng((await runEncoded(engine, request)).png);
}

async function refusal(prompt: string, images: RawImage[]): Promise<ApiError> {
  try {
    await edit(prompt, images);
  } catch (error) {
    assert.ok(error instanceof ApiError && error.status === 400, String(error));
    return error;
  }
  assert.fail(`"${prompt}" was answered 200`);
}

const inside = (box: typeof SIGN, x: number, y: number) =>
  x >= box.left && x < box.left + box.width && y >= box.top && y < box.top + box.height;

function unchangedOutside(out: { data: Buffer; channels: number }, photo: RawImage, box: typeof SIGN): void {
  for (let y = 0; y < photo.height; y += 3) {
    for (let x = 0; x < photo.width; x += 3) {
      if (inside({ left: box.left - 2, top: box.top - 2, width: box.width + 4, height: box.height + 4 }, x, y)) continue;
      const p = y * photo.width + x;
      assert.equal(out.data[p * out.channels], photo.data[p * 3], `changed at ${x},${y}`);
    }
  }
}

function boxPlanes(photo: { width: number; height: number }, box: typeof SIGN, margin: number) {
  const hole = new Uint8Array(photo.width * photo.height);
  const ring = new Uint8Array(photo.width * photo.height);
  for (let y = 0; y < photo.height; y++) {
    for (let x = 0; x < photo.width; x++) {
      hole[y * photo.width + x] = inside(box, x, y) ? 255 : 0;
      const grown = {
        left: box.left - margin,
        top: box.top - margin,
        width: box.width + 2 * margin,
        height: box.height + 2 * margin,
      };
      ring[y * photo.width + x] = inside(grown, x, y) ? 255 : 0;
    }
  }
  return { hole, ring };
}

/**
 * The post behind the sign must run through the fill: in the post's middle (x 340..390, where the post
 * below the sign is light grey, 100 to 150) nearly every row of the hole is light, not the foliage's dark
 * smear that PatchMatch alone made there (luma 40 to 70).
 */
function postRunsThrough(out: { data: Buffer; width: number; channels: number }, top: number, bottom: number): number {
  let light = 0;
  for (let y = top; y < bottom; y++) {
    let sum = 0;
    for (let x = 340; x < 390; x++) {
      const p = (y * out.width + x) * out.channels;
      sum += 0.299 * out.data[p] + 0.587 * out.data[p + 1] + 0.114 * out.data[p + 2];
    }
    if (sum / 50 > 85) light++;
  }
  return light / (bottom - top);
}

test('"remove the sign" with a mask: the post runs through the fill, leaves beside it, nothing else changed', async () => {
  const mask = await rectMask(street.width, street.height, SIGN);
  // PatchMatch smooths the leaves beside the post into a smear (refused by the self-check); whole blocks of
  // real leaves are then copied in (inpaint/quilt.ts), never from the post itself.
  const out = await edit('remove the sign', [street, mask]);
  unchangedOutside(out, street, SIGN);
  const rgb = { ...out, data: out.data, channels: out.channels };
  assert.equal(checkFill({ ...rgb, ...boxPlanes(street, SIGN, 12) }).problem, null);
  const share = postRunsThrough(out, SIGN.top, SIGN.top + SIGN.height);
  assert.ok(share > 0.9, `the post is light in ${Math.round(100 * share)}% of the hole's rows`);
  assertLeavesBesideThePost(out, SIGN.top, SIGN.top + SIGN.height);
});

test('"remove the sign" with no mask: the sign is found by its text, with its plate, and the post runs through', async () => {
  const out = await edit('remove the sign', [street]);
  // The white face is gone: the middle of the sign is no longer paper-white.
  const face: number[] = [];
  for (let y = 100; y < 240; y += 2)
    for (let x = 290; x < 410; x += 2) face.push(out.data[(y * out.width + x) * out.channels + 1]);
  const white = face.filter((v) => v > 200).length / face.length;
  assert.ok(white < 0.05, `${Math.round(100 * white)}% of the sign's face is still white`);
  const share = postRunsThrough(out, 30, 260);
  assert.ok(share > 0.85, `the post is light in ${Math.round(100 * share)}% of the rows`);
  assertLeavesBesideThePost(out, 40, 260);
  // No line of the sign's orange rim is left along the top of the fill.
  let orange = 0;
  for (let y = 8; y < 24; y++) {
    for (let x = 250; x < 450; x++) {
      const p = (y * out.width + x) * out.channels;
      if (out.data[p] > 170 && out.data[p] - out.data[p + 2] > 90) orange++;
    }
  }
  assert.ok(orange < 20, `${orange} orange pixels of the rim are left`);
  // Far from the sign nothing changed (the car, the person on the right).
  for (const [x, y] of [
    [550, 500],
    [760, 450],
    [50, 400],
  ]) {
    const p = y * street.width + x;
    assert.equal(out.data[p * out.channels], street.data[p * 3], `changed at ${x},${y}`);
  }
});

/**
 * Beside the post (x 255..300 and 410..445) the fill is leaves, as around it: dark on average, with the
 * leaves' grain (not a smooth smear), and hardly any of the post's pale grey copied in as ghosts.
 */
function assertLeavesBesideThePost(out: { data: Buffer; width: number; channels: number }, top: number, bottom: number): void {
  for (const [from, to] of [
    [258, 300],
    [412, 444],
  ]) {
    const luma: number[] = [];
    let grain = 0;
    let pale = 0;
    for (let y = top; y < bottom; y++) {
      for (let x = from; x < to; x++) {
        const p = (y * out.width + x) * out.channels;
        const l = 0.299 * out.data[p] + 0.587 * out.data[p + 1] + 0.114 * out.data[p + 2];
        const right =
          0.299 * out.data[p + out.channels] + 0.587 * out.data[p + out.channels + 1] + 0.114 * out.data[p + out.channels + 2];
        luma.push(l);
        grain += Math.abs(l - right);
        // The post's grey-blue: light, and bluer than the leaves.
        if (l > 120 && out.data[p + 2] > out.data[p] + 10) pale++;
      }
    }
    const mean = luma.reduce((a, b) => a + b, 0) / luma.length;
    assert.ok(mean < 90, `beside the post (x ${from}..${to}) the fill is light on average (${mean.toFixed(0)})`);
    assert.ok(
      grain / luma.length > 6,
      `beside the post (x ${from}..${to}) the fill is smooth (${(grain / luma.length).toFixed(1)})`,
    );
    assert.ok(
      pale / luma.length < 0.08,
      `beside the post (x ${from}..${to}) ${Math.round((100 * pale) / luma.length)}% is the post's grey`,
    );
  }
}

test('"remove the sign" on a photo with no sign is an honest refusal that says how to point at it', async () => {
  const error = await refusal('remove the sign', [await loadPhoto('coffee')]);
  assert.match(error.message, /sign is found by the text it carries.*mask/);
});

test('"replace the logo with a blank sign": the sign\'s own white face, plain, the rest untouched', async () => {
  const mask = await rectMask(street.width, street.height, SIGN_TEXT);
  const out = await edit('replace the logo with a blank sign', [street, mask]);
  unchangedOutside(out, street, SIGN_TEXT);
  const inner = {
    left: SIGN_TEXT.left + 10,
    top: SIGN_TEXT.top + 10,
    width: SIGN_TEXT.width - 20,
    height: SIGN_TEXT.height - 20,
  };
  const face: number[] = [];
  for (let y = inner.top; y < inner.top + inner.height; y++) {
    for (let x = inner.left; x < inner.left + inner.width; x++) face.push(out.data[(y * out.width + x) * out.channels + 1]);
  }
  const mean = face.reduce((a, b) => a + b, 0) / face.length;
  const std = Math.sqrt(face.reduce((a, b) => a + (b - mean) ** 2, 0) / face.length);
  assert.ok(mean > 180, `the sign's face is white, not the median of its surroundings (mean ${mean})`);
  assert.ok(std < 12, `and blank: no letters left (std ${std})`);
});

/** rocket.jpg with its bottom-right corner torn off: paper-white where the print is missing, and the mask of it. */
async function tornRocket() {
  const rocket = await loadPhoto('rocket');
  const torn = { ...rocket, data: Buffer.from(rocket.data) };
  const mask = { ...rocket, data: Buffer.alloc(rocket.data.length) };
  const legs = [rocket.width * 0.3, rocket.height * 0.22];
  for (let y = 0; y < rocket.height; y++) {
    for (let x = 0; x < rocket.width; x++) {
      if ((rocket.width - 1 - x) / legs[0] + (rocket.height - 1 - y) / legs[1] > 1) continue;
      const p = (y * rocket.width + x) * 3;
      torn.data.fill(244, p, p + 3);
      mask.data.fill(255, p, p + 3);
    }
  }
  return { torn, mask };
}

/** The dusk photo is dark at the bottom right: the paper-white corner must be gone, not smeared grey. */
function cornerLuma(out: { data: Buffer; width: number; height: number; channels: number }): number {
  const values: number[] = [];
  for (let y = out.height - 20; y < out.height; y++) {
    for (let x = out.width - 40; x < out.width; x++) {
      const p = (y * out.width + x) * out.channels;
      values.push(out.data[p], out.data[p + 1], out.data[p + 2]);
    }
  }
  return lumaStats({ data: Buffer.from(values), channels: 3 }).mean;
}

test('"restore the torn corner of the photo" finds the torn corner by itself, or takes a mask', async () => {
  const { torn, mask } = await tornRocket();
  for (const images of [[torn], [torn, mask]]) {
    const out = await edit('restore the torn corner of the photo', images);
    assert.ok(cornerLuma(out) < 120, `corner luma ${cornerLuma(out)} with ${images.length} image(s)`);
  }
});

test('a photo with no torn corner is not "repaired": the refusal says what was looked for', async () => {
  const error = await refusal('restore the torn corner of the photo', [await loadPhoto('chelsea')]);
  assert.match(error.message, /no torn or missing corner/i);
});

test('the studio backdrop keeps the subject and gives a smooth backdrop', async () => {
  const astronaut = await loadPhoto('astronaut');
  const out = await edit(
    'Replace the background with a modern photo studio backdrop while preserving the subject pose, facial features, and clothing.',
    [astronaut],
  );
  // The top corners are background in this portrait: smooth after, not the flag and the wall.
  const detail = (image: { data: Uint8Array; channels: number }, width: number) => {
    let sum = 0;
    for (let y = 5; y < 60; y++)
      for (let x = 5; x < 60; x++)
        sum += Math.abs(image.data[(y * width + x) * image.channels] - image.data[(y * width + x + 1) * image.channels]);
    return sum / (55 * 55);
  };
  assert.ok(detail(out, astronaut.width) < 2, `backdrop detail ${detail(out, astronaut.width)}`);
  // The face (centre of the portrait) is kept.
  const p = (Math.round(astronaut.height * 0.3) * astronaut.width + Math.round(astronaut.width / 2)) * 3;
  assert.ok(Math.abs(out.data[(p / 3) * out.channels] - astronaut.data[p]) <= 2);
});

test('"remove the tourist crowd" where people fill most of the picture is refused, naming a generative model', async () => {
  const astronaut = await loadPhoto('astronaut');
  const error = await refusal('Remove the tourist crowd from the square and keep the architecture intact', [astronaut]);
  assert.match(error.message, /generative model \(such as qwen-edit\)/);
});

test('"a glowing film festival poster" on a blank billboard is refused, naming a generative model', async () => {
  const mask = await rectMask(street.width, street.height, SIGN);
  const error = await refusal(
    'Replace the blank billboard area with a glowing Venice film festival poster while preserving lighting and perspective',
    [street, mask],
  );
  assert.match(error.message, /generative model \(such as qwen-edit\)/);
});

/** The sky as the finder sees it (above 200) and what surely is not sky (0), to measure each part apart. */
function skyAndRest(photo: RawImage) {
  const sky = findStuff({ ...photo, kind: 'sky' });
  assert.ok(sky.mask, 'the photo has a sky');
  return { inSky: (p: number) => sky.mask![p] > 200, outside: (p: number) => sky.mask![p] === 0 };
}

/** Mean of red minus blue over the pixels `where` picks: how warm they are. */
function warmth(data: Uint8Array, channels: number, n: number, where: (p: number) => boolean): number {
  let sum = 0;
  let count = 0;
  for (let p = 0; p < n; p++) {
    if (!where(p)) continue;
    sum += data[p * channels] - data[p * channels + 2];
    count++;
  }
  return sum / count;
}

/** Correlation of each pixel's lightness minus its 3x3 mean, before and after, over the pixels `where` picks. */
function detailKept(before: RawImage, after: { data: Uint8Array; channels: number }, where: (p: number) => boolean): number {
  const { width, height } = before;
  const luma = (d: Uint8Array, c: number, p: number) => 0.299 * d[p * c] + 0.587 * d[p * c + 1] + 0.114 * d[p * c + 2];
  const a: number[] = [];
  const b: number[] = [];
  for (let y = 1; y < height - 1; y += 2) {
    for (let x = 1; x < width - 1; x += 2) {
      const p = y * width + x;
      if (!where(p)) continue;
      let ma = 0;
      let mb = 0;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          ma += luma(before.data, 3, p + dy * width + dx);
          mb += luma(after.data, after.channels, p + dy * width + dx);
        }
      }
      a.push(luma(before.data, 3, p) - ma / 9);
      b.push(luma(after.data, after.channels, p) - mb / 9);
    }
  }
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const [ma, mb] = [mean(a), mean(b)];
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < a.length; i++) {
    cov += (a[i] - ma) * (b[i] - mb);
    va += (a[i] - ma) ** 2;
    vb += (b[i] - mb) ** 2;
  }
  return cov / Math.sqrt(va * vb);
}

test('the guide\'s "change the sky to sunrise": a warm sky, the birds still dark, the palace\'s detail kept', async () => {
  const palace = await loadPhoto('skyTowers');
  const out = await edit('change the sky to sunrise', [palace]);
  const n = palace.width * palace.height;
  const { inSky, outside } = skyAndRest(palace);
  const warmer = warmth(out.data, out.channels, n, inSky) - warmth(palace.data, 3, n, inSky);
  assert.ok(warmer > 60, `the sky warmed by ${warmer.toFixed(0)} (red minus blue)`);
  assert.ok(detailKept(palace, out, outside) > 0.9, 'the palace keeps its carving');
  // The birds against the sky (dark specks in its bounding rows) stay birds, not patches of new sky.
  let birds = 0;
  let stillDark = 0;
  for (let p = 0; p < n; p++) {
    const l = 0.299 * palace.data[p * 3] + 0.587 * palace.data[p * 3 + 1] + 0.114 * palace.data[p * 3 + 2];
    if (l > 50 || p % palace.width > palace.width * 0.5 || p > n * 0.4) continue;
    birds++;
    const o =
      0.299 * out.data[p * out.channels] + 0.587 * out.data[p * out.channels + 1] + 0.114 * out.data[p * out.channels + 2];
    if (o < 90) stillDark++;
  }
  assert.ok(birds > 20 && stillDark > 0.8 * birds, `${stillDark} of ${birds} bird pixels stay dark`);
});

test('the guide\'s "replace the cloudy sky with a warm sunrise while preserving the buildings and canal"', async () => {
  const street = await loadPhoto('cloudyStreet');
  const out = await edit('Replace the cloudy sky with a warm sunrise while preserving the buildings and canal', [street]);
  const n = street.width * street.height;
  const { inSky, outside } = skyAndRest(street);
  const warmer = warmth(out.data, out.channels, n, inSky) - warmth(street.data, 3, n, inSky);
  assert.ok(warmer > 40, `the sky warmed by ${warmer.toFixed(0)} (red minus blue)`);
  assert.ok(detailKept(street, out, inSky) > 0.5, 'the clouds keep their structure (no flat painted sky)');
  assert.ok(detailKept(street, out, outside) > 0.9, 'the houses keep their bricks and edges');
});
