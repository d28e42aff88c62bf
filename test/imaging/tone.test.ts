import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import sharp from 'sharp';
import type { RawImage } from '../../src/imaging/raw-image.js';
import { PNG_OPTIONS } from '../../src/imaging/raw-image.js';
import { applyTone, materialize, type ToneOp } from '../../src/imaging/tone.js';
import { testImagingPool } from '../helpers/engine-context.js';
import { channelMeans, detail, loadPhoto, lumaStats, meanChroma, withAlpha } from './photo-fixtures.js';

let photo: RawImage;
const context = { referenceSide: 300, redact: false, work: { pool: testImagingPool() } };
const run = async (op: ToneOp, image = photo) => materialize(await applyTone(image, op, context));

before(async () => {
  photo = await loadPhoto('chelsea');
});

describe('tone operations on a real photo', () => {
  test('black and white has three equal channels, and is written as a grey PNG when last', async () => {
    const out = await run({ kind: 'greyscale' });
    assert.equal(out.channels, 3);
    for (let i = 0; i < out.data.length; i += 3) {
      assert.ok(out.data[i] === out.data[i + 1] && out.data[i] === out.data[i + 2], `pixel ${i / 3} is not grey`);
    }
    const rendered = await applyTone(photo, { kind: 'greyscale' }, context);
    assert.equal(rendered.kind, 'pipeline');
    const png = await (rendered.kind === 'pipeline' ? rendered.pipeline : sharp()).png(PNG_OPTIONS).toBuffer();
    assert.equal((await sharp(png).metadata()).channels, 1);
  });

  test('sepia has red >= green >= blue on average, and little chroma variation', async () => {
    const [r, g, b] = channelMeans(await run({ kind: 'sepia' }));
    assert.ok(r >= g && g >= b, `means ${r} ${g} ${b}`);
  });

  test('invert twice is the identity; once, every value is 255 - v', async () => {
    const once = await run({ kind: 'invert' });
    assert.equal(once.data[0], 255 - photo.data[0]);
    const twice = await run({ kind: 'invert' }, once);
    assert.deepEqual(twice.data, photo.data);
  });

  test('brightness moves the mean lightness in the asked direction', async () => {
    const base = lumaStats(photo).mean;
    assert.ok(lumaStats(await run({ kind: 'brightness', factor: 1.2 })).mean > base + 5);
    assert.ok(lumaStats(await run({ kind: 'brightness', factor: 0.8 })).mean < base - 5);
  });

  test('contrast scales the spread of tones', async () => {
    const base = lumaStats(photo).std;
    assert.ok(lumaStats(await run({ kind: 'contrast', factor: 1.3 })).std > base * 1.15);
    assert.ok(lumaStats(await run({ kind: 'contrast', factor: 0.7 })).std < base * 0.8);
  });

  test('saturation vivid / muted raise and lower chroma', async () => {
    const base = meanChroma(photo);
    assert.ok(meanChroma(await run({ kind: 'saturation', factor: 1.35 })) > base * 1.1);
    assert.ok(meanChroma(await run({ kind: 'saturation', factor: 0.65 })) < base * 0.8);
  });

  test('warmer raises red against blue, cooler lowers it', async () => {
    const ratio = (img: RawImage) => {
      const [r, , b] = channelMeans(img);
      return r / b;
    };
    const base = ratio(photo);
    assert.ok(ratio(await run({ kind: 'temperature', amount: 1 })) > base * 1.1);
    assert.ok(ratio(await run({ kind: 'temperature', amount: -1 })) < base * 0.9);
  });

  test('auto-enhance pulls a colour cast toward grey and stretches a flat picture', async () => {
    const castData = await sharp(photo.data, { raw: { width: photo.width, height: photo.height, channels: 3 } })
      .linear([0.45, 0.5, 0.7], [40, 40, 60])
      .raw()
      .toBuffer();
    const cast = { ...photo, data: castData };
    const spread = (img: RawImage) => {
      const m = channelMeans(img);
      return Math.max(...m) - Math.min(...m);
    };
    const out = await run({ kind: 'auto-enhance' }, cast);
    assert.ok(lumaStats(out).std > lumaStats(cast).std * 1.3, 'levels were not stretched');
    assert.ok(spread(out) < spread(cast), 'the colour cast did not shrink');
  });

  test('sharpen adds fine detail, blur removes it', async () => {
    const base = detail(photo);
    assert.ok(detail(await run({ kind: 'sharpen', amount: 1 })) > base * 1.1);
    assert.ok(detail(await run({ kind: 'blur', amount: 1 })) < base * 0.5);
    assert.ok(
      detail(await run({ kind: 'blur', amount: 1, pixels: 1 })) > detail(await run({ kind: 'blur', amount: 1, pixels: 4 })),
    );
  });

  test('denoise brings a noisy photo closer to the clean one', async () => {
    const noisy = { ...photo, data: Buffer.from(photo.data) };
    let seed = 7;
    for (let p = 0; p < photo.width * photo.height; p += 17) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      noisy.data.fill(seed & 1 ? 255 : 0, p * 3, p * 3 + 3);
    }
    const error = (img: RawImage) => img.data.reduce((s, v, i) => s + Math.abs(v - photo.data[i]), 0);
    assert.ok(error(await run({ kind: 'denoise', amount: 1 }, noisy)) < error(noisy) * 0.5);
  });

  test('pixelate makes uniform blocks of the asked size', async () => {
    const out = await run({ kind: 'pixelate', amount: 1, pixels: 10 });
    for (const [bx, by] of [
      [0, 0],
      [100, 50],
      [200, 150],
    ]) {
      const first = (by * out.width + bx) * 3;
      for (let y = by; y < by + 10; y++) {
        for (let x = bx; x < bx + 10; x++) {
          const i = (y * out.width + x) * 3;
          assert.deepEqual([...out.data.subarray(i, i + 3)], [...out.data.subarray(first, first + 3)]);
        }
      }
    }
    assert.ok(detail(out) < detail(photo) * 0.6, `detail ${detail(out)} vs ${detail(photo)}`);
  });

  test('posterize leaves at most N values per channel', async () => {
    const out = await run({ kind: 'posterize', levels: 3 });
    for (let ch = 0; ch < 3; ch++) {
      const values = new Set<number>();
      for (let i = ch; i < out.data.length; i += 3) values.add(out.data[i]);
      assert.ok(values.size <= 3, `channel ${ch} has ${values.size} values`);
    }
  });

  test('vignette darkens the corners and leaves the centre bit-identical', async () => {
    const out = await run({ kind: 'vignette', amount: 1 });
    const at = (img: RawImage, x: number, y: number) => (y * img.width + x) * 3;
    const c = at(out, Math.floor(out.width / 2), Math.floor(out.height / 2));
    assert.deepEqual([...out.data.subarray(c, c + 3)], [...photo.data.subarray(c, c + 3)]);
    const corner = at(out, 1, 1);
    assert.ok(out.data[corner] < photo.data[corner] * 0.8, 'corner is not darker');
  });

  test('vintage fades the blacks and mutes the colours', async () => {
    const out = await run({ kind: 'vintage' });
    let min = 255;
    for (let i = 0; i < out.data.length; i++) min = Math.min(min, out.data[i]);
    assert.ok(min >= 20, `darkest value ${min}`);
    assert.ok(meanChroma(out) < meanChroma(photo));
  });

  test('alpha is kept as it is by every tone edit', async () => {
    const rgba = await withAlpha(photo, 123);
    for (const op of [{ kind: 'greyscale' }, { kind: 'blur', amount: 1 }, { kind: 'posterize', levels: 4 }] as ToneOp[]) {
      const out = await run(op, rgba);
      assert.equal(out.channels, 4);
      for (let i = 3; i < out.data.length; i += 4) assert.equal(out.data[i], 123);
    }
  });
});
