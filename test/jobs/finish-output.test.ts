import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { ApiError } from '../../src/errors.js';
import { cutout } from '../../src/engines/segmentation/cutout.js';
import type { RawImage } from '../../src/imaging/raw-image.js';
import { checkFinishOptions, finishOutput, type FinishOptions } from '../../src/jobs/finish-output.js';
import type { AlphaMatte } from '../../src/resources/segmenter/index.js';

/** A real photo and a matte that keeps its left half (so the results are easy to check pixel by pixel). */
async function photoAndMatte(channels: 3 | 4) {
  let pipeline = sharp('test/fixtures/chelsea.png').removeAlpha();
  if (channels === 4) pipeline = pipeline.ensureAlpha(0.5);
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  const image: RawImage = { data, width: info.width, height: info.height, channels };
  const matte = new Uint8Array(info.width * info.height);
  for (let i = 0; i < matte.length; i++)
    matte[i] = i % info.width < info.width / 2 ? 255 : i % info.width < info.width / 2 + 4 ? 128 : 0;
  return { image, matte: { data: matte, width: info.width, height: info.height } };
}

/** The segmentation engine's cutout, then the request path's finishing step: what a client receives. */
async function renderCutout(image: RawImage, matte: AlphaMatte, options: FinishOptions) {
  const finished = await finishOutput({ kind: 'raw', image: await cutout(image, matte) }, options);
  return { png: finished.body, width: finished.width, height: finished.height };
}

async function decode(png: Buffer) {
  return sharp(png).raw().toBuffer({ resolveWithObject: true });
}

describe('cutout and finishing step (only_mask, bg_color, encoding)', () => {
  for (const channels of [3, 4] as const) {
    test(`RGBA PNG of the same size, colour channels exactly the input's, alpha the matte (${channels}-channel input)`, async () => {
      const { image, matte } = await photoAndMatte(channels);
      const result = await renderCutout(image, matte, {});
      assert.equal(result.width, image.width);
      const { data, info } = await decode(result.png);
      assert.deepEqual([info.width, info.height, info.channels], [image.width, image.height, 4]);
      for (let i = 0; i < matte.data.length; i++) {
        for (let c = 0; c < 3; c++) assert.equal(data[4 * i + c], image.data[channels * i + c]);
        assert.equal(data[4 * i + 3], matte.data[i]);
      }
    });
  }

  test('onlyMask gives the matte as a one-channel greyscale PNG', async () => {
    const { image, matte } = await photoAndMatte(3);
    const result = await renderCutout(image, matte, { onlyMask: true });
    const meta = await sharp(result.png).metadata();
    assert.equal(meta.channels, 1);
    const data = await sharp(result.png).extractChannel(0).raw().toBuffer();
    assert.deepEqual(new Uint8Array(data), matte.data);
  });

  test('bgColor composites onto the colour: an opaque image, the colour where the matte is 0', async () => {
    const { image, matte } = await photoAndMatte(3);
    const result = await renderCutout(image, matte, { bgColor: '#1e90ff' });
    const meta = await sharp(result.png).metadata();
    assert.equal(meta.hasAlpha, false);
    const { data, info } = await decode(result.png);
    const last = (image.width * image.height - 1) * info.channels;
    assert.deepEqual([...data.subarray(last, last + 3)], [0x1e, 0x90, 0xff]);
    assert.deepEqual([...data.subarray(0, 3)], [...image.data.subarray(0, 3)]);
  });

  test('bg_color accepts #rrggbb, #rgb and CSS names, and refuses anything else with a 400', () => {
    for (const ok of ['#ffffff', '#FFF', 'white', 'rebeccapurple', 'DarkSlateGray']) checkFinishOptions({ bgColor: ok });
    for (const bad of ['blurple', '#12345', 'rgb(1,2,3)', '', 'white; drop table']) {
      assert.throws(
        () => checkFinishOptions({ bgColor: bad }),
        (e: unknown) => e instanceof ApiError && e.status === 400 && /bg_color/.test(e.message),
        bad,
      );
    }
  });
});
