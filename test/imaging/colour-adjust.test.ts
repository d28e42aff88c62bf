import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { adjustColours, tonalCurve, type ColourAdjust } from '../../src/imaging/colour-adjust.js';
import type { RawImage } from '../../src/imaging/raw-image.js';
import { smoothSkin } from '../../src/imaging/skin-smooth.js';
import { applyTone, materialize, type ToneOp } from '../../src/imaging/tone.js';
import { testImagingPool } from '../helpers/engine-context.js';

const work = { pool: testImagingPool() };

/** Hue angle in degrees of an RGB triple (0 red, 60 yellow, 120 green, ...). */
function hue(r: number, g: number, b: number): number {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  if (max === min) return 0;
  let h: number;
  if (max === r) h = ((g - b) / (max - min)) % 6;
  else if (max === g) h = (b - r) / (max - min) + 2;
  else h = (r - g) / (max - min) + 4;
  return (h * 60 + 360) % 360;
}

const linear = (v: number) => (v / 255 <= 0.04045 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);

const flat = (rgb: [number, number, number], side = 9): RawImage => {
  const data = Buffer.alloc(side * side * 3);
  for (let i = 0; i < data.length; i += 3) data.set(rgb, i);
  return { data, width: side, height: side, channels: 3 };
};

async function chain(image: RawImage, ops: ToneOp[]): Promise<RawImage> {
  let current = image;
  for (const op of ops)
    current = await materialize(await applyTone(current, op, { referenceSide: image.width, redact: false, work }));
  return current;
}

describe('tone operations keep hue where channels clip', () => {
  test('"brighter and warmer, then a vignette" keeps a bright orange orange (was (254,203,143) -> (233,233,155))', async () => {
    const out = await chain(flat([254, 203, 143]), [
      { kind: 'brightness', factor: 1.2 },
      { kind: 'temperature', amount: 1 },
      { kind: 'vignette', amount: 1 },
    ]);
    const before = hue(254, 203, 143);
    for (let i = 0; i < out.data.length; i += 3) {
      const [r, g, b] = [out.data[i], out.data[i + 1], out.data[i + 2]];
      assert.ok(
        Math.abs(hue(r, g, b) - before) < 6,
        `pixel ${i / 3}: (${r},${g},${b}) hue ${hue(r, g, b).toFixed(1)} vs ${before.toFixed(1)}`,
      );
      assert.ok(r - g > 25, `pixel ${i / 3}: (${r},${g},${b}) lost its red over green`);
    }
  });

  test('gains, exposure, tonal ranges and vibrance never turn a colour by more than a few degrees', () => {
    const pixels: number[] = [];
    for (let r = 5; r < 256; r += 25) for (let g = 5; g < 256; g += 50) for (let b = 5; b < 256; b += 50) pixels.push(r, g, b);
    const data = Uint8Array.from(pixels);
    const ops: ColourAdjust[] = [
      { kind: 'gains', gains: [1.4, 1.4, 1.4] },
      { kind: 'gains', gains: [1.2, 1.04, 0.8] },
      { kind: 'exposure', stops: 1.5 },
      { kind: 'exposure', stops: -1 },
      { kind: 'tonal-range', range: 'shadows', amount: 2 },
      { kind: 'tonal-range', range: 'highlights', amount: -2 },
      { kind: 'vibrance', amount: 2 },
    ];
    for (const op of ops) {
      const out = adjustColours(data, 3, op);
      for (let i = 0; i < data.length; i += 3) {
        const saturation = (Math.max(out[i], out[i + 1], out[i + 2]) - Math.min(out[i], out[i + 1], out[i + 2])) / 255;
        if (saturation < 0.15 || (op.kind === 'gains' && op.gains[0] !== op.gains[2])) continue;
        // Exposure works in linear light, where its hue is kept; everything else works on sRGB values.
        const space = op.kind === 'exposure' ? linear : (v: number) => v;
        const before = hue(space(data[i]), space(data[i + 1]), space(data[i + 2]));
        const turn = Math.abs(before - hue(space(out[i]), space(out[i + 1]), space(out[i + 2])));
        assert.ok(Math.min(turn, 360 - turn) < 4, `${JSON.stringify(op)}: (${data.slice(i, i + 3)}) -> (${out.slice(i, i + 3)})`);
      }
    }
  });
});

describe('exposure, tonal ranges, vibrance', () => {
  test('one stop doubles linear light', () => {
    const [v] = adjustColours(Uint8Array.from([50, 50, 50]), 3, { kind: 'exposure', stops: 1 });
    assert.ok(Math.abs(v - 71) <= 1, `50 -> ${v}`); // sRGB 50 is linear 0.0319; doubled, 0.0638, is sRGB 71
  });

  test('lifting the shadows moves dark tones up and leaves white and black where they are', () => {
    const curve = tonalCurve('shadows', 1);
    assert.equal(curve(0), 0);
    assert.equal(curve(1), 1);
    assert.ok(curve(0.15) > 0.2, `0.15 -> ${curve(0.15)}`);
    assert.ok(curve(0.9) - 0.9 < 0.01);
    for (let y = 0.01; y < 1; y += 0.01) assert.ok(curve(y + 0.01) >= curve(y), 'the curve must not fold');
  });

  test('lowering the highlights moves bright tones down and leaves the shadows', () => {
    const curve = tonalCurve('highlights', -1);
    assert.ok(curve(0.85) < 0.8, `0.85 -> ${curve(0.85)}`);
    assert.ok(Math.abs(curve(0.1) - 0.1) < 0.005);
    assert.equal(curve(1), 1);
  });

  test('vibrance saturates dull colours more than vivid ones, and spares skin', () => {
    const spread = (p: Uint8Array) => Math.max(...p) - Math.min(...p);
    const gain = (rgb: number[]) =>
      spread(adjustColours(Uint8Array.from(rgb), 3, { kind: 'vibrance', amount: 1 })) / spread(Uint8Array.from(rgb));
    const dull = gain([120, 130, 150]);
    const vivid = gain([30, 60, 230]);
    const skin = gain([224, 172, 140]);
    const dullWarm = gain([150, 135, 130]);
    assert.ok(dull > 1.3, `dull x${dull}`);
    assert.ok(vivid < 1.1, `vivid x${vivid}`);
    assert.ok(skin < dullWarm, `skin x${skin} vs a dull warm grey x${dullWarm}`);
  });
});

describe('skin smoothing', () => {
  test('smooths noise on a flat patch and keeps a strong edge', () => {
    const width = 40;
    const height = 20;
    const data = new Uint8Array(width * height * 3);
    let seed = 7;
    const noise = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return (seed % 17) - 8;
    };
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const base = x < 20 ? 180 : 40;
        for (let c = 0; c < 3; c++) data[(y * width + x) * 3 + c] = base + noise();
      }
    }
    const out = smoothSkin({ data, width, height, channels: 3, radius: 4, amount: 1 });
    const deviation = (pixels: Uint8Array, from: number, to: number) => {
      let sum = 0;
      let n = 0;
      for (let y = 2; y < height - 2; y++)
        for (let x = from; x < to; x++, n++) sum += Math.abs(pixels[(y * width + x) * 3] - 180);
      return sum / n;
    };
    assert.ok(deviation(out, 3, 14) < 0.6 * deviation(data, 3, 14), 'noise on the flat side is not smoothed');
    assert.ok(out[(10 * width + 18) * 3] > 150 && out[(10 * width + 21) * 3] < 70, 'the edge is smeared');
  });
});
