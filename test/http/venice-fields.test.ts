import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { type VeniceFieldsApp, veniceFieldsApp } from './venice-fields-app.js';

/**
 * Venice's 2026 fields on /image/edit and /image/multi-edit, through the whole request path, JSON and
 * multipart: output formats (bytes and Content-Type), resolution tiers (sizes), strict bodies (Venice's
 * message, nothing charged), fields a model cannot honour. Prices and headers: venice-prices-headers.test.ts.
 */

let app: VeniceFieldsApp;
let t: VeniceFieldsApp['t'];
let png: Buffer;
let large: Buffer;
before(async () => {
  app = await veniceFieldsApp();
  ({ t, png, large } = app);
});
after(async () => t.app.close());

const b64 = (bytes: Buffer) => bytes.toString('base64');
const post: VeniceFieldsApp['post'] = (...args) => app.post(...args);
const postForm: VeniceFieldsApp['postForm'] = (...args) => app.postForm(...args);
const balance = () => app.balance();

const MAGIC: Record<string, (b: Buffer) => boolean> = {
  png: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  jpeg: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  webp: (b) => b.subarray(0, 4).toString() === 'RIFF' && b.subarray(8, 12).toString() === 'WEBP',
};

describe('output_format', () => {
  for (const [asked, format] of [
    ['png', 'png'],
    ['jpeg', 'jpeg'],
    ['jpg', 'jpeg'],
    ['webp', 'webp'],
  ] as const) {
    test(`${asked}: the body is ${format} with Content-Type image/${format} (JSON and multipart)`, async () => {
      const json = await post('/api/v1/image/edit', { model: 'tiers-edit', prompt: 'x', image: b64(png), output_format: asked });
      const form = await postForm('/api/v1/image/multi-edit', [
        { name: 'modelId', value: 'tiers-edit' },
        { name: 'prompt', value: 'x' },
        { name: 'output_format', value: asked },
        { name: 'images', value: png, filename: 'a.png' },
      ]);
      for (const res of [json, form]) {
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.headers['content-type'], `image/${format}`);
        assert.ok(MAGIC[format]!(res.rawPayload), `${format} magic bytes`);
        assert.equal((await sharp(res.rawPayload).metadata()).format, format);
      }
    });
  }

  test("Venice's defaults: PNG at 1K (and at the input's size), JPEG at 2K", async () => {
    const cases: Array<[string | undefined, string]> = [
      [undefined, 'image/png'],
      ['1K', 'image/png'],
      ['2K', 'image/jpeg'],
    ];
    for (const [resolution, type] of cases) {
      const res = await post('/api/v1/image/edit', {
        model: 'tiers-edit',
        prompt: 'x',
        image: b64(large),
        ...(resolution ? { resolution } : {}),
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['content-type'], type, `resolution ${resolution ?? 'none'}`);
    }
  });

  test('transparency: JPEG asked for is a 400 and not charged; WebP keeps the alpha; the 2K default stays PNG', async () => {
    const rgba = await sharp(large).ensureAlpha(0.5).png().toBuffer();
    const before = await balance();
    const refused = await post('/api/v1/image/edit', {
      model: 'tiers-edit',
      prompt: 'x',
      image: b64(rgba),
      output_format: 'jpeg',
    });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.json().error, /transparency/);
    assert.equal(await balance(), before);
    const webp = await post('/api/v1/image/edit', { model: 'tiers-edit', prompt: 'x', image: b64(rgba), output_format: 'webp' });
    assert.equal((await sharp(webp.rawPayload).metadata()).hasAlpha, true);
    const fallback = await post('/api/v1/image/edit', { model: 'tiers-edit', prompt: 'x', image: b64(rgba), resolution: '2K' });
    assert.equal(fallback.headers['content-type'], 'image/png');
    const cutout = await post('/api/v1/image/background-remove', { image: b64(png), output_format: 'jpeg' });
    assert.equal(cutout.statusCode, 400, 'a cutout as JPEG is refused before any work');
  });
});

describe('resolution', () => {
  test('each tier fits the longer side (1K: 1024, 2K: 2048); no tier keeps the input size', async () => {
    for (const [resolution, size] of [
      [undefined, [2600, 1950]],
      ['1K', [1024, 768]],
      ['2K', [2048, 1536]],
      ['2k', [2048, 1536]],
    ] as const) {
      const res = await postForm('/api/v1/image/edit', [
        { name: 'model', value: 'tiers-edit' },
        { name: 'prompt', value: 'x' },
        ...(resolution ? [{ name: 'resolution', value: resolution }] : []),
        { name: 'output_format', value: 'png' },
        { name: 'image', value: large, filename: 'large.png' },
      ]);
      assert.equal(res.statusCode, 200, res.body);
      const meta = await sharp(res.rawPayload).metadata();
      assert.deepEqual([meta.width, meta.height], size, `resolution ${resolution ?? 'none'}`);
    }
  });

  test('4K fits a larger image to 4096 on its longer side, as JPEG by default', async () => {
    const huge = await sharp(large).resize(4200, 3150, { kernel: 'nearest' }).png({ compressionLevel: 1 }).toBuffer();
    const res = await postForm('/api/v1/image/edit', [
      { name: 'model', value: 'tiers-edit' },
      { name: 'prompt', value: 'x' },
      { name: 'resolution', value: '4K' },
      { name: 'image', value: huge, filename: 'huge.png' },
    ]);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], 'image/jpeg');
    const meta = await sharp(res.rawPayload).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 4096, 3072]);
    assert.equal(res.headers['x-retouch-charged-usd'], '0.11');
  });

  test('4K of a smaller image is refused (no plain resize presented as more), before any charge', async () => {
    const before = await balance();
    const runs = t.engine.runs;
    const res = await post('/api/v1/image/edit', { model: 'tiers-edit', prompt: 'x', image: b64(large), resolution: '4K' });
    assert.equal(res.statusCode, 400);
    assert.match(res.json().error, /enlarge.*super-resolution.*Use 1K or 2K/s);
    assert.equal(await balance(), before);
    assert.equal(t.engine.runs, runs);
  });

  test('a tier the model lacks, and one that does not exist, are 400s naming the supported tiers', async () => {
    for (const [model, tier, supported] of [
      ['single-edit', '2K', '1K'],
      ['tiers-edit', '8K', '1K, 2K, 4K'],
    ]) {
      const res = await post('/api/v1/image/edit', { model, prompt: 'x', image: b64(png), resolution: tier });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error, `resolution ${tier} is not supported by ${model}; supported: ${supported}`);
    }
  });
});

describe('strict bodies', () => {
  test("unknown keys: 400 with Venice's message in details and issues, JSON and multipart, nothing charged", async () => {
    const before = await balance();
    const runs = t.engine.runs;
    const json = await post('/api/v1/image/edit', { prompt: 'x', image: b64(png), foo: 1, bar: 'x' });
    const form = await postForm('/api/v1/image/multi-edit', [
      { name: 'prompt', value: 'x' },
      { name: 'foo', value: '1' },
      { name: 'images', value: png, filename: 'a.png' },
    ]);
    const bg = await post('/api/v1/image/background-remove', { image: b64(png), foo: true });
    for (const [res, keys] of [
      [json, "'foo', 'bar'"],
      [form, "'foo'"],
      [bg, "'foo'"],
    ] as const) {
      assert.equal(res.statusCode, 400);
      const body = res.json();
      assert.equal(body.error, 'Invalid request parameters');
      assert.equal(body.issues[0].code, 'unrecognized_keys');
      assert.equal(body.issues[0].message, `Unrecognized key(s) in object: ${keys}`);
      assert.deepEqual(body.details._errors, [`Unrecognized key(s) in object: ${keys}`]);
    }
    assert.equal(await balance(), before);
    assert.equal(t.engine.runs, runs);
  });

  test('documented fields and extensions stay accepted', async () => {
    const res = await post('/api/v1/image/multi-edit', {
      modelId: 'tiers-edit',
      prompt: 'x',
      images: [b64(large)],
      seed: 7,
      layer_roles: [],
      aspect_ratio: 'auto',
      output_format: 'png',
      resolution: '1K',
      quality: 'low',
      safe_mode: false,
      disable_prompt_optimization_thinking: true,
    });
    assert.equal(res.statusCode, 200, res.body);
  });
});

test('quality on a model without quality tiers is ignored, as Venice documents: 200 at the base price', async () => {
  const before = await balance();
  const res = await post('/api/v1/image/multi-edit', {
    modelId: 'single-edit',
    prompt: 'x',
    quality: 'high',
    images: [b64(png)],
  });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.headers['x-retouch-charged-usd'], '0.01');
  assert.equal(await balance(), before - 10_000);
});

describe('fields a model cannot honour', () => {
  const cases: Array<[string, string, Record<string, unknown>, RegExp]> = [
    ['a quality the model lacks', 'tiers-edit', { quality: 'ultra' }, /Invalid request parameters/],
    ['a second image on a model that takes one', 'single-edit', { images: ['A', 'A'] }, /single-edit takes a single image/],
    ['enhance_prompt with no rewriter', 'tiers-edit', { enhance_prompt: true }, /enhance_prompt is not supported by tiers-edit/],
  ];
  for (const [name, model, extra, message] of cases) {
    test(`${name}: 400 naming what it supports, not charged`, async () => {
      const before = await balance();
      const images = (extra.images as string[] | undefined)?.map(() => b64(png)) ?? [b64(png)];
      const res = await post('/api/v1/image/multi-edit', { modelId: model, prompt: 'x', ...extra, images });
      assert.equal(res.statusCode, 400, res.body);
      assert.match(res.json().error, message);
      assert.equal(await balance(), before);
    });
  }
});
