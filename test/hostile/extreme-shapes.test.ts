import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { describeVocabulary } from '../../src/engines/local-edit/vocabulary/table.js';
import { multipartBody } from '../helpers/test-app.js';
import { AnswerTally, createRealApp, type RealApp } from './real-app.js';

/**
 * Every operation of the product's own engines on the most extreme shapes the limits allow (65,536 pixels,
 * the minimum, as one row, one column, 2 rows, 4 rows): each answer is a PNG of sensible size or a 400
 * that says why, never a 5xx. (Found: "denoise" answered 500, libvips' "rank: window too large".)
 */

const SHAPES: Array<[number, number]> = [
  [65536, 1],
  [1, 65536],
  [32768, 2],
  [16384, 4],
];

/** The first example of every vocabulary entry, and wordings that push a size to its extreme. */
function prompts(): Array<{ prompt: string; layer?: 'mask' | 'overlay' }> {
  const rows = describeVocabulary().vocabulary.map((row) => ({
    prompt: row.examples[0],
    layer: /multi-edit/.test(row.instruction)
      ? ('overlay' as const)
      : /mask/.test(row.instruction)
        ? ('mask' as const)
        : undefined,
  }));
  const extremes = [
    'denoise much',
    'blur by 1000px',
    'blur it a lot',
    'pixelate with 5000px blocks',
    'sharpen much',
    'crop to 21:9',
    'rotate 90 degrees and add a strong vignette',
  ];
  const masked = ['blur the masked area', 'pixelate the masked area', 'fill the masked area with red', 'denoise the masked area'];
  return [...rows, ...extremes.map((prompt) => ({ prompt })), ...masked.map((prompt) => ({ prompt, layer: 'mask' as const }))];
}

async function noisePng(width: number, height: number): Promise<Buffer> {
  const data = Buffer.alloc(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 73 + ((i * 2654435761) >>> 24)) & 255;
  return sharp(data, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

/** White over the middle half of the longer side, black elsewhere. */
async function maskPng(width: number, height: number): Promise<Buffer> {
  const data = Buffer.alloc(width * height);
  const long = Math.max(width, height);
  for (let i = 0; i < data.length; i++) data[i] = i >= long / 4 && i < (3 * long) / 4 ? 255 : 0;
  return sharp(data, { raw: { width, height, channels: 1 } })
    .png()
    .toBuffer();
}

describe('extreme legal shapes, every operation', () => {
  let real: RealApp;
  const tally = new AnswerTally();
  let overlay: Buffer;

  before(async () => {
    real = await createRealApp();
    overlay = await sharp({ create: { width: 256, height: 256, channels: 4, background: { r: 200, g: 30, b: 30, alpha: 0.6 } } })
      .png()
      .toBuffer();
  });
  after(async () => {
    await real.close();
    process.stdout.write(`# extreme shapes: ${tally.summary()}\n`);
  });

  for (const [width, height] of SHAPES) {
    test(`${width}x${height}`, async () => {
      const [image, mask] = await Promise.all([noisePng(width, height), maskPng(width, height)]);
      const failures: string[] = [];
      for (const { prompt, layer } of prompts()) {
        const parts = [
          { name: 'prompt', value: prompt },
          { name: 'model', value: 'local-edit' },
          { name: 'images', value: image, filename: 'base.png' },
          ...(layer === 'mask' ? [{ name: 'images', value: mask, filename: 'mask.png' }] : []),
          ...(layer === 'overlay' ? [{ name: 'images', value: overlay, filename: 'logo.png' }] : []),
        ];
        const body = multipartBody(parts);
        const res = await real.app.inject({
          method: 'POST',
          url: '/api/v1/image/multi-edit',
          headers: { ...real.auth, ...body.headers },
          payload: body.payload,
        });
        tally.record(`${width}x${height} "${prompt}"`, res.statusCode, res.body);
        if (res.statusCode === 200) {
          const meta = await sharp(res.rawPayload).metadata();
          if (!meta.width || !meta.height) failures.push(`"${prompt}": 200 with an unreadable PNG`);
        } else if (res.statusCode !== 400 || !(res.json().error?.length > 10)) {
          failures.push(`"${prompt}": ${res.statusCode} ${res.body.slice(0, 200)}`);
        }
      }
      const cutout = multipartBody([{ name: 'image', value: image, filename: 'base.png' }]);
      const res = await real.app.inject({
        method: 'POST',
        url: '/api/v1/image/background-remove',
        headers: { ...real.auth, ...cutout.headers },
        payload: cutout.payload,
      });
      tally.record(`${width}x${height} background-remove`, res.statusCode, res.body);
      if (res.statusCode !== 200 && res.statusCode !== 400)
        failures.push(`background-remove: ${res.statusCode} ${res.body.slice(0, 200)}`);
      if (res.statusCode === 200) {
        const meta = await sharp(res.rawPayload).metadata();
        assert.deepEqual([meta.width, meta.height, meta.channels], [width, height, 4]);
      }
      assert.deepEqual(failures, []);
    });
  }
});
