import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import sharp from 'sharp';
import { compositeOverlay, forcedConvention, inspectLayer, overlayRect } from '../../src/imaging/layers.js';
import type { RawImage } from '../../src/imaging/raw-image.js';
import { testImagingPool } from '../helpers/engine-context.js';
import { countChanged, loadPhoto, rectMask } from './photo-fixtures.js';

const work = { pool: testImagingPool() };

/** A colourful logo: a red disc with a blue ring on a transparent ground. */
async function logo(size = 120): Promise<RawImage> {
  const data = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x - size / 2, y - size / 2);
      const i = (y * size + x) * 4;
      if (d < size * 0.3) data.set([220, 30, 30, 255], i);
      else if (d < size * 0.45) data.set([30, 60, 220, 255], i);
    }
  }
  return { data, width: size, height: size, channels: 4 };
}

describe('layer classification', () => {
  test('an opaque black-and-white image is a luma mask', async () => {
    const base = await loadPhoto('chelsea');
    const traits = await inspectLayer(
      rectMask(base.width, base.height, { left: 10, top: 10, width: 50, height: 50 }),
      base,
      work,
    );
    assert.equal(traits.maskConvention, 'luma');
  });

  test('the base photo with a hole erased in it is an alpha mask (OpenAI)', async () => {
    const base = await loadPhoto('chelsea');
    const data = Buffer.alloc(base.width * base.height * 4);
    for (let p = 0; p < base.width * base.height; p++) {
      base.data.copy(data, p * 4, p * 3, p * 3 + 3);
      data[p * 4 + 3] = p % base.width < 80 ? 0 : 255;
    }
    const traits = await inspectLayer({ ...base, data, channels: 4 }, base, work);
    assert.equal(traits.maskConvention, 'alpha');
  });

  test('a colourful logo with transparency and a photo are pictures, not masks', async () => {
    const base = await loadPhoto('chelsea');
    assert.equal((await inspectLayer(await logo(), base, work)).maskConvention, null);
    assert.equal((await inspectLayer(await loadPhoto('coffee'), base, work)).maskConvention, null);
  });

  test('a picture forced to be a mask is read by alpha if it has transparency, else by luma', async () => {
    const base = await loadPhoto('chelsea');
    assert.equal(forcedConvention(await inspectLayer(await logo(), base, work)), 'alpha');
    assert.equal(forcedConvention(await inspectLayer(await loadPhoto('coffee'), base, work)), 'luma');
  });
});

describe('overlay placement', () => {
  test('corner positions keep a margin; sizes are fractions of the base width', () => {
    const base = { width: 1000, height: 800 };
    const over = { width: 400, height: 200 };
    assert.deepEqual(overlayRect(base, over, { anchor: 'top-right', widthFraction: 0.25 }), {
      left: 726,
      top: 24,
      width: 250,
      height: 125,
    });
    assert.deepEqual(overlayRect(base, over, { anchor: 'bottom-left', widthFraction: 0.5 }), {
      left: 24,
      top: 526,
      width: 500,
      height: 250,
    });
    assert.deepEqual(overlayRect(base, over, { anchor: 'center' }), { left: 300, top: 300, width: 400, height: 200 });
  });

  test('an overlay never outgrows the base, and fits into a mask box when given one', () => {
    const rect = overlayRect({ width: 300, height: 200 }, { width: 1000, height: 1000 }, { anchor: 'center' });
    assert.deepEqual(rect, { left: 50, top: 0, width: 200, height: 200 });
    const within = { left: 100, top: 50, width: 80, height: 40 };
    assert.deepEqual(overlayRect({ width: 300, height: 200 }, { width: 100, height: 100 }, { anchor: 'center', within }), {
      left: 120,
      top: 50,
      width: 40,
      height: 40,
    });
  });

  test('compositing shows the overlay where it is opaque and nowhere else', async () => {
    const base = await loadPhoto('chelsea');
    const mark = await logo(120);
    const rect = overlayRect(base, mark, { anchor: 'top-right', widthFraction: 0.2 });
    const out = await compositeOverlay(base, mark, rect, undefined, work);
    const inRect = (x: number, y: number) =>
      x >= rect.left && x < rect.left + rect.width && y >= rect.top && y < rect.top + rect.height;
    const changed = countChanged(base, out, inRect);
    assert.equal(changed.outside, 0);
    const cx = rect.left + Math.floor(rect.width / 2);
    const cy = rect.top + Math.floor(rect.height / 2);
    const i = (cy * base.width + cx) * 3;
    assert.deepEqual([...out.data.subarray(i, i + 3)], [220, 30, 30]);
    const corner = (rect.top * base.width + rect.left) * 3; // transparent corner of the logo
    assert.deepEqual([...out.data.subarray(corner, corner + 3)], [...base.data.subarray(corner, corner + 3)]);
  });

  test('a mask clips the overlay', async () => {
    const base = await loadPhoto('chelsea');
    const { data } = await sharp({ create: { width: 100, height: 100, channels: 3, background: '#00ff00' } })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const green: RawImage = { data, width: 100, height: 100, channels: 3 };
    const clip = new Uint8Array(base.width * base.height);
    for (let y = 0; y < base.height; y++) clip.fill(255, y * base.width, y * base.width + 50);
    const rect = { left: 0, top: 0, width: 100, height: 100 };
    const out = await compositeOverlay(base, green, rect, { data: clip, width: base.width, height: base.height }, work);
    const changed = countChanged(base, out, (x, y) => x < 50 && y < 100);
    assert.equal(changed.outside, 0);
    assert.ok(changed.inside > 4000);
  });
});
