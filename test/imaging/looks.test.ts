import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyLookPixels, LOOK_NAMES, type Look } from '../../src/imaging/looks/look-kernel.js';
import { tiltShiftWeight } from '../../src/imaging/looks/tone-map-looks.js';
import { channelMeans, loadPhoto } from './photo-fixtures.js';

/** The classical looks on real photos, each checked by what defines it, in pixels. */

const street = await loadPhoto('street', 400);
const fruits = await loadPhoto('fruits', 400);
const run = (photo: typeof street, look: Omit<Look, 'amount'> & { amount?: number }) =>
  Buffer.from(applyLookPixels({ ...photo, look: { amount: 1, ...look } }));
const asImage = (data: Buffer) => ({ data, channels: 3 });

function luma(data: Uint8Array, p: number): number {
  return 0.299 * data[p] + 0.587 * data[p + 1] + 0.114 * data[p + 2];
}

/** The spread of red - blue and green - blue around their means: saturation, whatever the tint. */
function colourSpread(data: Uint8Array): number {
  let n = 0;
  const sums = [0, 0, 0, 0];
  for (let p = 0; p < data.length; p += 3) {
    const a = data[p] - data[p + 2];
    const b = data[p + 1] - data[p + 2];
    sums[0] += a;
    sums[1] += a * a;
    sums[2] += b;
    sums[3] += b * b;
    n++;
  }
  return Math.sqrt(sums[1] / n - (sums[0] / n) ** 2) + Math.sqrt(sums[3] / n - (sums[2] / n) ** 2);
}

/** The median absolute difference between horizontal neighbours: fine texture, whatever the edges do. */
function texture(data: Uint8Array, width: number, height: number): number {
  const values = [];
  for (let y = 0; y < height; y += 2) {
    for (let x = 0; x < width - 1; x++)
      values.push(Math.abs(luma(data, (y * width + x) * 3) - luma(data, (y * width + x + 1) * 3)));
  }
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)];
}

/** Mean absolute difference between horizontal neighbours over rows [from, to): detail. */
function detail(data: Uint8Array, width: number, from: number, to: number): number {
  let sum = 0;
  let n = 0;
  for (let y = from; y < to; y++) {
    for (let x = 0; x < width - 1; x++) {
      sum += Math.abs(luma(data, (y * width + x) * 3) - luma(data, (y * width + x + 1) * 3));
      n++;
    }
  }
  return sum / n;
}

test('every look keeps the size, changes the picture and gives the same pixels twice', () => {
  for (const name of LOOK_NAMES) {
    const once = run(street, { name });
    assert.equal(once.length, street.width * street.height * 3, name);
    assert.notDeepEqual(once, street.data, name);
    assert.deepEqual(run(street, { name }), once, `${name} is deterministic`);
  }
});

test('pencil sketch and charcoal are grey drawings; the sketch is mostly paper', () => {
  for (const name of ['pencil-sketch', 'charcoal'] as const) {
    const out = run(street, { name });
    for (let p = 0; p < out.length; p += 3 * 97) assert.ok(out[p] === out[p + 1] && out[p + 1] === out[p + 2], name);
  }
  const sketch = run(street, { name: 'pencil-sketch' });
  assert.ok(channelMeans(asImage(sketch))[0] > channelMeans(street)[0] + 40, 'the paper is lighter than the photo');
});

test('the 70s print is warmer, less saturated and has faded blacks', () => {
  const out = run(street, { name: 'seventies' });
  const [r, , b] = channelMeans(asImage(out));
  const [r0, , b0] = channelMeans(street);
  assert.ok(r - b > r0 - b0 + 10, `warmer (red - blue ${r - b} against ${r0 - b0})`);
  assert.ok(colourSpread(out) < colourSpread(street.data) * 0.85, 'less saturated');
  let darkest = 255;
  for (let p = 0; p < out.length; p += 3) darkest = Math.min(darkest, luma(out, p));
  // The vignette darkens the corners a little, so the faded black is looked for anywhere.
  assert.ok(darkest > 15, `blacks faded (darkest ${darkest})`);
});

test('film grain adds detail without shifting the tones', () => {
  const out = run(street, { name: 'film-grain' });
  const before = channelMeans(street);
  for (const [c, m] of channelMeans(asImage(out)).entries()) assert.ok(Math.abs(m - before[c]) < 3, 'mean kept');
  assert.ok(detail(out, street.width, 0, street.height) > detail(street.data, street.width, 0, street.height) * 1.2);
});

test('Polaroid shadows lean cyan-green and its highlights warm', () => {
  const out = run(fruits, { name: 'polaroid' });
  const shadow = [0, 0, 0];
  const light = [0, 0, 0];
  for (let p = 0; p < out.length; p += 3) {
    const target = luma(fruits.data, p) < 40 ? shadow : luma(fruits.data, p) > 200 ? light : null;
    if (target) for (let c = 0; c < 3; c++) target[c] += out[p + c];
  }
  assert.ok(shadow[1] > shadow[0] && shadow[2] > shadow[0], `shadows ${shadow}`);
  assert.ok(light[0] > light[2], `highlights ${light}`);
});

test('cross-process spreads red and squeezes blue', () => {
  const out = run(street, { name: 'cross-process' });
  const spread = (data: Uint8Array, c: number) => {
    const values = [];
    for (let p = c; p < data.length; p += 3 * 7) values.push(data[p]);
    values.sort((a, b) => a - b);
    return values[Math.floor(values.length * 0.95)] - values[Math.floor(values.length * 0.05)];
  };
  assert.ok(spread(out, 0) > spread(street.data, 0), 'red');
  assert.ok(spread(out, 2) < spread(street.data, 2) * 0.85, 'blue');
});

test('the HDR look raises local detail', () => {
  for (const photo of [street, fruits]) {
    const ratio =
      texture(run(photo, { name: 'hdr' }), photo.width, photo.height) / texture(photo.data, photo.width, photo.height);
    assert.ok(ratio > 1.15, `detail x${ratio}`);
  }
});

test('oil painting and cartoon flatten texture but keep the picture', () => {
  for (const name of ['oil-painting', 'cartoon'] as const) {
    const out = run(fruits, { name });
    assert.ok(detail(out, fruits.width, 0, fruits.height) < detail(fruits.data, fruits.width, 0, fruits.height), name);
    const before = channelMeans(fruits);
    for (const [c, m] of channelMeans(asImage(out)).entries())
      assert.ok(Math.abs(m - before[c]) < 30, `${name} keeps the colours`);
  }
});

test('a duotone holds only the two colours and their mixes', () => {
  const colors = [
    [0, 0, 128],
    [255, 140, 0],
  ] as const;
  const out = run(street, { name: 'duotone', colors });
  for (let p = 0; p < out.length; p += 3 * 13) {
    const t = (out[p] - colors[0][0]) / (colors[1][0] - colors[0][0]);
    for (let c = 0; c < 3; c++) assert.ok(Math.abs(out[p + c] - (colors[0][c] + t * (colors[1][c] - colors[0][c]))) <= 2);
  }
});

test('tilt-shift keeps a band sharp and blurs above it', () => {
  const out = run(street, { name: 'tilt-shift' });
  const h = street.height;
  assert.equal(tiltShiftWeight(Math.round(0.55 * h), h), 0);
  assert.ok(tiltShiftWeight(0, h) > 0.9);
  const top = detail(out, street.width, 0, Math.round(0.1 * h)) / detail(street.data, street.width, 0, Math.round(0.1 * h));
  const band = [Math.round(0.5 * h), Math.round(0.6 * h)] as const;
  const middle = detail(out, street.width, ...band) / detail(street.data, street.width, ...band);
  assert.ok(top < 0.6 && middle > 0.85, `top ${top}, band ${middle}`);
});

test('day for night: about two stops darker, bluer than it is red, less colourful, a small light kept', () => {
  // The street with a small lamp drawn in: a 3x3 white spot on the dark tree.
  const lit = Buffer.from(street.data);
  for (let y = 61; y < 64; y++)
    for (let x = 61; x < 64; x++) lit.fill(255, (y * street.width + x) * 3, (y * street.width + x) * 3 + 3);
  const photo = { ...street, data: lit };
  const night = run(photo, { name: 'day-for-night' });
  const [r, g, b] = channelMeans(asImage(night));
  const before = channelMeans(photo);
  assert.ok(g < 0.45 * before[1], `green mean ${g.toFixed(0)} against ${before[1].toFixed(0)}: at least a stop and a bit darker`);
  assert.ok(b > r, 'moonlight is blue');
  assert.ok(colourSpread(night) < 0.6 * colourSpread(photo.data), 'colour drained');
  const lamp = (62 * street.width + 62) * 3;
  assert.ok(luma(night, lamp) > 170, `the lamp stays lit (${luma(night, lamp).toFixed(0)})`);
  // The sign's white face is large: lit by the sun, so it darkens with the rest.
  const sign = (60 * street.width + 175) * 3;
  assert.ok(luma(photo.data, sign) > 180 && luma(night, sign) < 150, 'a large white sign darkens');
});
