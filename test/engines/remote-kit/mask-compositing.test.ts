import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import type { RawImage } from '../../../src/imaging/raw-image.js';
import { encodeResult, testImagingPool } from '../../helpers/engine-context.js';
import { finishResult } from '../../../src/engines/remote-kit/finish-result.js';
import { editWeights, maskConvention, transparencyMaskPng } from '../../../src/engines/remote-kit/mask-layers.js';
import { prepareInputs, targetSize } from '../../../src/engines/remote-kit/prepare-inputs.js';
import { decode, editRequest, fixture, rectangleMask } from './helpers.js';

/** Mask recognition, alignment and the outside-the-mask guarantee of every remote backend. */

let cat: RawImage;
let coffee: RawImage;
before(async () => {
  cat = await fixture('chelsea.png');
  coffee = await fixture('coffee.png');
});
const pool = testImagingPool();
const work = { pool };

/** The base with a transparent hole (OpenAI's way of drawing a mask). */
function withHole(base: RawImage, box: { left: number; top: number; width: number; height: number }): RawImage {
  const data = Buffer.alloc(base.width * base.height * 4);
  for (let i = 0; i < base.width * base.height; i++) {
    const x = i % base.width;
    const y = Math.floor(i / base.width);
    for (let c = 0; c < 3; c++) data[i * 4 + c] = base.data[i * base.channels + c];
    const inside = x >= box.left && x < box.left + box.width && y >= box.top && y < box.top + box.height;
    data[i * 4 + 3] = inside ? 0 : 255;
  }
  return { data, width: base.width, height: base.height, channels: 4 };
}

const box = { left: 120, top: 80, width: 150, height: 100 };

describe("layer classification (local-edit's rules)", () => {
  test('an opaque two-tone image is a mask (edit where white), a photo is not', async () => {
    assert.equal(await maskConvention(await rectangleMask(cat.width, cat.height, box), cat, 'auto', work), 'luma');
    assert.equal(await maskConvention(coffee, cat, 'auto', work), null);
  });

  test('the base with a transparent hole is a mask; a photo cut-out with transparency is not', async () => {
    assert.equal(await maskConvention(withHole(cat, box), cat, 'auto', work), 'alpha');
    assert.equal(await maskConvention(withHole(coffee, { left: 0, top: 0, width: 600, height: 40 }), cat, 'auto', work), null);
  });

  test('layer_roles decides when given', async () => {
    assert.equal(await maskConvention(coffee, cat, 'mask', work), 'luma');
    assert.equal(await maskConvention(await rectangleMask(cat.width, cat.height, box), cat, 'overlay', work), null);
  });
});

describe('edit weights', () => {
  test('both conventions give 255 inside, 0 outside, feathered only inward', async () => {
    const masks = [
      [await rectangleMask(cat.width, cat.height, box), 'luma'],
      [withHole(cat, box), 'alpha'],
    ] as const;
    for (const [mask, convention] of masks) {
      const weights = await editWeights(mask, convention, cat.width, cat.height, 2, work);
      let outside = 0;
      for (let y = 0; y < cat.height; y++) {
        for (let x = 0; x < cat.width; x++) {
          const inside = x >= box.left && x < box.left + box.width && y >= box.top && y < box.top + box.height;
          if (!inside && weights[y * cat.width + x] !== 0) outside++;
        }
      }
      assert.equal(outside, 0);
      assert.equal(weights[(box.top + 50) * cat.width + box.left + 75], 255, 'the centre is fully edited');
      assert.ok(weights[(box.top + 50) * cat.width + box.left] < 255, 'the edge is feathered');
    }
  });

  test('a mask of another size is stretched over the base', async () => {
    const small = await rectangleMask(Math.round(cat.width / 2), Math.round(cat.height / 2), {
      left: 60,
      top: 40,
      width: 75,
      height: 50,
    });
    const weights = await editWeights(small, 'luma', cat.width, cat.height, 0, work);
    assert.equal(weights[(box.top + 50) * cat.width + box.left + 75], 255);
    assert.equal(weights[10 * cat.width + 10], 0);
  });

  test("OpenAI's mask: the image with alpha 0 where edited, at the sent size", async () => {
    const weights = await editWeights(await rectangleMask(cat.width, cat.height, box), 'luma', cat.width, cat.height, 0, work);
    const png = await transparencyMaskPng(cat, weights, 226, 150);
    const mask = await decode(png);
    assert.deepEqual([mask.width, mask.height, mask.channels], [226, 150, 4]);
    assert.equal(mask.data[(65 * 226 + 97) * 4 + 3], 0);
    assert.equal(mask.data[(5 * 226 + 5) * 4 + 3], 255);
  });
});

describe('compositing', () => {
  test('a backend output of another size and colour drift is composited back to the base size', async () => {
    const mask = await rectangleMask(cat.width, cat.height, box);
    const request = editRequest([cat, mask]);
    const job = await prepareInputs(
      request,
      { maxPixels: 200 * 150, multipleOf: 8, maxUploadBytes: 10_000_000, maskFeather: 0.004 },
      pool,
    );
    // A "model" that shifts every colour of the whole picture, at its own resolution.
    const drifted = await sharp(job.images[0].png).linear(0.9, 12).png().toBuffer();
    const result = await encodeResult(await finishResult(drifted, job, request, pool));
    const output = await decode(result.png);
    assert.deepEqual([output.width, output.height], [cat.width, cat.height]);
    let changedOutside = 0;
    for (let i = 0; i < cat.width * cat.height; i++) {
      const x = i % cat.width;
      const y = Math.floor(i / cat.width);
      const inside = x >= box.left && x < box.left + box.width && y >= box.top && y < box.top + box.height;
      if (!inside && output.data.compare(cat.data, i * 3, i * 3 + 3, i * 3, i * 3 + 3) !== 0) changedOutside++;
    }
    assert.equal(changedOutside, 0);
  });
});

describe('input preparation', () => {
  test('images are scaled down to the pixel budget on the grid, never up', () => {
    assert.deepEqual(targetSize(4000, 3000, 1024 * 1024, 16), { width: 1168, height: 880 });
    assert.deepEqual(targetSize(451, 300, 1024 * 1024, 16), { width: 448, height: 288 });
    assert.deepEqual(targetSize(451, 300, 1024 * 1024, 1), { width: 451, height: 300 });
  });

  test('aspect_ratio crops base and mask alike', async () => {
    const mask = await rectangleMask(cat.width, cat.height, box);
    const settings = { maxPixels: 1 << 20, multipleOf: 1, maxUploadBytes: 10_000_000, maskFeather: 0 };
    const job = await prepareInputs(editRequest([cat, mask], { aspectRatio: '1:1' }), settings, pool);
    assert.deepEqual([job.frame.width, job.frame.height], [300, 300]);
    assert.deepEqual(
      job.images.map((i) => [i.role, i.width, i.height]),
      [
        ['base', 300, 300],
        ['mask', 300, 300],
      ],
    );
    // The crop starts at x = 75: the mask's left edge (120) is now at 45.
    assert.equal(job.maskWeights![150 * 300 + 46], 255);
    assert.equal(job.maskWeights![150 * 300 + 43], 0);
  });

  test('layer_roles overrides the classification', async () => {
    const mask = await rectangleMask(cat.width, cat.height, box);
    const settings = { maxPixels: 1 << 20, multipleOf: 1, maxUploadBytes: 10_000_000, maskFeather: 0 };
    const auto = await prepareInputs(editRequest([cat, coffee, mask]), settings, pool);
    assert.deepEqual(
      auto.images.map((i) => i.role),
      ['base', 'layer', 'mask'],
    );
    const forced = await prepareInputs(
      editRequest([cat, coffee, mask], { options: { layerRoles: ['mask', 'overlay'] } }),
      settings,
      pool,
    );
    assert.deepEqual(
      forced.images.map((i) => i.role),
      ['base', 'mask', 'layer'],
    );
  });

  test('an image over the upload cap is sent smaller', async () => {
    const job = await prepareInputs(
      editRequest([cat]),
      { maxPixels: 1 << 20, multipleOf: 1, maxUploadBytes: 70_000, maskFeather: 0 },
      pool,
    );
    assert.ok(job.images[0].png.length <= 70_000);
    assert.ok(job.images[0].width < cat.width);
  });
});
