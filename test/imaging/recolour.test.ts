import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { oklchOf, srgbToOklab } from '../../src/imaging/oklab.js';
import { recolour, type RecolourOp } from '../../src/imaging/recolour.js';
import { brokenBecause } from '../../src/engines/local-edit/run/recolour-step.js';
import { loadPhoto } from './photo-fixtures.js';

/** A w x h RGB picture from a function of the pixel. */
function picture(w: number, h: number, at: (x: number, y: number) => [number, number, number]): Uint8Array {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set(at(x, y), (y * w + x) * 3);
  return data;
}

const lightness = (data: Uint8Array, p: number) => {
  const lab = new Float64Array(3);
  srgbToOklab(data[3 * p], data[3 * p + 1], data[3 * p + 2], lab);
  return lab;
};

const RED: RecolourOp = { kind: 'to', color: [220, 20, 20] };
const BLUE: RecolourOp = { kind: 'to', color: [30, 90, 220] };

describe('recolour keeps the shading', () => {
  // A shaded green ball: lightness falls from left to right, with a fine texture on top.
  const w = 64;
  const h = 32;
  const ball = picture(w, h, (x, y) => {
    const shade = 200 - 2.4 * x + ((x * 7 + y * 13) % 9) - 4;
    return [0.35 * shade, shade, 0.3 * shade];
  });
  const weight = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 8; x < 56; x++) weight[y * w + x] = 255;

  test('"make the ball red": the hue becomes red, the order of lightness is kept, texture too', () => {
    const { data, stats } = recolour({ data: ball, channels: 3, weight, op: RED });
    const red = oklchOf([220, 20, 20]);
    let inOrder = 0;
    for (let x = 9; x < 56; x++) {
      const p = 10 * w + x;
      const [, a, b] = lightness(data, p);
      assert.ok((a * red.ha + b * red.hb) / Math.hypot(a, b) > 0.95, `pixel ${x} is not red`);
      if (
        Math.sign(lightness(data, p)[0] - lightness(data, p - 1)[0]) ===
        Math.sign(lightness(ball, p)[0] - lightness(ball, p - 1)[0])
      )
        inOrder++;
    }
    assert.ok(inOrder >= 44, `only ${inOrder} of 47 neighbours kept their lightness order`);
    assert.ok(stats.lumaStdAfter > 0.4 * stats.lumaStdBefore, 'the texture collapsed');
    assert.equal(brokenBecause(stats, RED), null);
  });

  test('outside the weight every pixel is bit-identical', () => {
    const { data } = recolour({ data: ball, channels: 3, weight, op: BLUE });
    for (let y = 0; y < h; y++) {
      for (const x of [0, 7, 56, 63]) {
        const i = 3 * (y * w + x);
        assert.deepEqual([...data.subarray(i, i + 3)], [...ball.subarray(i, i + 3)]);
      }
    }
  });

  test('black wings made blue: a tint that keeps dark darker than light', () => {
    const wings = picture(w, h, (x) => {
      const v = 12 + Math.round(x * 0.9);
      return [v, v, v + 2];
    });
    const { data, stats } = recolour({ data: wings, channels: 3, weight, op: BLUE });
    for (let x = 10; x < 51; x += 5) assert.ok(lightness(data, 5 * w + x)[0] < lightness(data, 5 * w + x + 5)[0] + 1e-9);
    const [, a, b] = lightness(data, 5 * w + 50);
    assert.ok(Math.hypot(a, b) > 0.03, 'no visible tint');
    assert.equal(brokenBecause(stats, BLUE), null);
  });

  test('a thing already of that colour: refused as changing nothing', () => {
    const red = picture(w, h, (x) => [220 - (x % 3), 20, 20]);
    const { stats } = recolour({ data: red, channels: 3, weight, op: RED });
    assert.match(brokenBecause(stats, RED) ?? '', /nothing would change/);
  });

  test('a flat result is refused (the self-check)', () => {
    const stats = {
      pixels: 100,
      selected: 100,
      lumaStdBefore: 20,
      lumaStdAfter: 1,
      lumaMeanBefore: 120,
      lumaMeanAfter: 120,
      meanChange: 0.2,
      hueAgreement: 1,
    };
    assert.match(brokenBecause(stats, RED) ?? '', /flat patch/);
  });
});

test('a red motorcycle made blue: the paint changes, the tyres and chrome do not', async () => {
  const photo = await loadPhoto('motorcycle', 320);
  const { data, width, height } = photo;
  const weight = new Uint8Array(width * height).fill(255);
  const { data: out } = recolour({ data: new Uint8Array(data), channels: photo.channels, weight, op: BLUE });
  let neutralMoved = 0;
  let neutral = 0;
  for (let p = 0; p < width * height; p++) {
    const before = lightness(new Uint8Array(data), p);
    if (Math.hypot(before[1], before[2]) > 0.02) continue;
    neutral++;
    const after = lightness(out, p);
    if (Math.hypot(after[1] - before[1], after[2] - before[2]) > 0.02) neutralMoved++;
  }
  assert.ok(neutral > 1000);
  assert.ok(neutralMoved < 0.02 * neutral, `${neutralMoved} of ${neutral} grey pixels were tinted`);
});

test('autumn: green leaves turn orange and red with their lightness kept; grey and blue are left alone', () => {
  const w = 48;
  const h = 8;
  // Left: green leaves at three lightnesses; right: a grey wall and a blue sign.
  const scene = picture(w, h, (x) => {
    if (x < 8) return [40, 90, 30];
    if (x < 16) return [70, 140, 50];
    if (x < 24) return [120, 190, 80];
    if (x < 36) return [128, 128, 128];
    return [30, 60, 200];
  });
  const weight = new Uint8Array(w * h).fill(255);
  const { data, stats } = recolour({ data: scene, channels: 3, weight, op: { kind: 'autumn', amount: 1 } });
  for (const x of [4, 12, 20]) {
    const [L0] = lightness(scene, x);
    const [L1, a, b] = lightness(data, x);
    const hue = (Math.atan2(b, a) * 180) / Math.PI;
    assert.ok(hue > 20 && hue < 85, `leaf at ${x}: hue ${hue.toFixed(0)} is red to orange-yellow`);
    assert.ok(Math.abs(L1 - L0) < 0.03, `leaf at ${x}: lightness kept`);
  }
  const hueAt = (x: number) => {
    const [, a, b] = lightness(data, x);
    return (Math.atan2(b, a) * 180) / Math.PI;
  };
  assert.ok(hueAt(4) < hueAt(20), 'darker leaves redder, lighter ones more orange');
  for (const x of [30, 40]) assert.deepEqual([...data.subarray(3 * x, 3 * x + 3)], [...scene.subarray(3 * x, 3 * x + 3)]);
  assert.equal(brokenBecause(stats, { kind: 'autumn', amount: 1 }), null);
});
