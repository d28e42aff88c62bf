import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import OpenAI, { toFile } from 'openai';
import sharp from 'sharp';
import { FakeComfyUi } from '../engines/comfyui/comfyui-fake-server.js';
import { QUICK, callApi, distanceFromNegative, raw, startServer, type RunningServer } from './remote-servers.js';

/**
 * POST /v1/images/edits end to end: the official `openai` client against our server (whose qwen-edit
 * runs on the ComfyUI test double), and an `openai` engine of a second server pointed at that route.
 */

let comfy: FakeComfyUi;
let upstream: RunningServer;
let gateway: RunningServer;
const cat = readFileSync(path.resolve('test/fixtures/chelsea.png'));

before(async () => {
  comfy = await FakeComfyUi.start();
  upstream = await startServer({
    models: {
      'qwen-edit': {
        engine: 'comfyui',
        priceUsd: 0.04,
        aspectRatios: ['auto', '1:1', '3:2', '2:3'],
        options: { endpoints: [{ url: comfy.url }], ...QUICK },
      },
    },
  });
  gateway = await startServer({
    models: {
      'qwen-openai': {
        engine: 'openai',
        priceUsd: 0.05,
        options: {
          endpoints: [{ url: `${upstream.url}/v1`, apiKey: upstream.key }],
          model: 'qwen-edit',
          sendSeed: true,
          ...QUICK,
        },
      },
    },
  });
});

after(async () => {
  await gateway?.app.close();
  await upstream?.app.close();
  await comfy?.close();
});

describe('OpenAI-compatible route and backend', () => {
  const client = () => new OpenAI({ baseURL: `${upstream.url}/v1`, apiKey: upstream.key, maxRetries: 0 });

  test('the official openai client edits an image with client.images.edit', async () => {
    const result = await client().images.edit({
      model: 'qwen-edit',
      image: await toFile(cat, 'cat.png', { type: 'image/png' }),
      prompt: 'make it a photo negative',
      size: '256x256',
    });
    const png = Buffer.from(result.data![0].b64_json!, 'base64');
    const meta = await sharp(png).metadata();
    assert.deepEqual(
      [meta.format, meta.width, meta.height],
      ['png', 256, 256],
      'size is the exact size of the answer, as OpenAI returns it',
    );
    assert.ok(result.created > 0);
  });

  test('output_format and output_compression are honoured; a size larger than the photo is answered at that size', async () => {
    const image = await toFile(cat, 'cat.png', { type: 'image/png' });
    const small = await client().images.edit({
      model: 'qwen-edit',
      image,
      prompt: 'make it a negative',
      output_format: 'jpeg',
      output_compression: 20,
    });
    const large = await client().images.edit({
      model: 'qwen-edit',
      image: await toFile(cat, 'cat.png'),
      prompt: 'make it a negative',
      output_format: 'jpeg',
      output_compression: 95,
    });
    const [a, b] = [Buffer.from(small.data![0].b64_json!, 'base64'), Buffer.from(large.data![0].b64_json!, 'base64')];
    assert.equal((await sharp(a).metadata()).format, 'jpeg');
    assert.ok(a.length < b.length, `compression 20 (${a.length} B) is smaller than 95 (${b.length} B)`);
    const webp = await client().images.edit({
      model: 'qwen-edit',
      image: await toFile(cat, 'cat.png'),
      prompt: 'make it a negative',
      output_format: 'webp',
    });
    assert.equal((await sharp(Buffer.from(webp.data![0].b64_json!, 'base64')).metadata()).format, 'webp');
    // OpenAI answers at the size asked even when the photo is smaller (451x300 here): enlarged, and said so.
    const { data: enlarged, response } = await client()
      .images.edit({ model: 'qwen-edit', image: await toFile(cat, 'cat.png'), prompt: 'x', size: '1024x1024' })
      .withResponse();
    const meta = await sharp(Buffer.from(enlarged.data![0].b64_json!, 'base64')).metadata();
    assert.deepEqual([meta.width, meta.height], [1024, 1024]);
    assert.equal(response.headers.get('x-retouch-enlarged-with'), 'lanczos3');
  });

  test('background=transparent cuts the edited result out with the background-removal model (and charges it)', async () => {
    const before = (await upstream.store.getBalance((await upstream.store.listKeys())[0]!.accountId)).balanceMicros;
    const result = await client().images.edit({
      model: 'qwen-edit',
      image: await toFile(cat, 'cat.png', { type: 'image/png' }),
      prompt: 'make it a negative',
      background: 'transparent',
    });
    const png = Buffer.from(result.data![0].b64_json!, 'base64');
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    assert.equal(info.channels, 4);
    let transparent = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! < 16) transparent++;
    assert.ok(transparent > info.width * info.height * 0.1, 'a real share of the picture is cut away');
    const after = (await upstream.store.getBalance((await upstream.store.listKeys())[0]!.accountId)).balanceMicros;
    assert.equal(before - after, 40_000 + 20_000, 'the edit and the cutout');
  });

  test('a model no backend serves fails at once (404, no retry), even with the client retrying by default', async () => {
    const retrying = new OpenAI({ baseURL: `${upstream.url}/v1`, apiKey: upstream.key });
    const started = performance.now();
    await assert.rejects(
      retrying.images.edit({ model: 'firered-image-edit', image: await toFile(cat, 'cat.png'), prompt: 'x' }),
      (e: any) => e instanceof OpenAI.NotFoundError && /Models online: qwen-edit/.test(e.message),
    );
    assert.ok(performance.now() - started < 2_000, 'no Retry-After, so no retries');
  });

  test('image[] with a mask: the mask is read in OpenAI convention and pixels outside stay', async () => {
    // OpenAI's convention: the image itself, transparent where it is to be edited (x, y in 50..150).
    const pixels = await raw(await sharp(cat).ensureAlpha().png().toBuffer());
    for (let y = 50; y < 150; y++) for (let x = 50; x < 150; x++) pixels.data[(y * 451 + x) * 4 + 3] = 0;
    const hole = await sharp(pixels.data, { raw: { width: 451, height: 300, channels: 4 } })
      .png()
      .toBuffer();
    const result = await client().images.edit({
      model: 'qwen-edit',
      image: [await toFile(cat, 'cat.png', { type: 'image/png' })],
      mask: await toFile(hole, 'mask.png', { type: 'image/png' }),
      prompt: 'put a hat there',
    });
    const output = await raw(Buffer.from(result.data![0].b64_json!, 'base64'));
    const original = await raw(cat);
    assert.equal(output.data.compare(original.data, 0, 451 * 3 * 40, 0, 451 * 3 * 40), 0);
  });

  test('several images go as image[]: the base and a reference for the second slot', async () => {
    const coffee = readFileSync(path.resolve('test/fixtures/coffee.png'));
    const before = comfy.uploads.size;
    const result = await client().images.edit({
      model: 'qwen-edit',
      image: [await toFile(cat, 'cat.png', { type: 'image/png' }), await toFile(coffee, 'cup.png', { type: 'image/png' })],
      prompt: 'put the cup from image 2 on the table',
    });
    assert.ok(result.data![0].b64_json);
    assert.equal(comfy.uploads.size - before, 2);
    assert.deepEqual(comfy.prompts.at(-1)!.prompt['20'].inputs?.image2, ['11', 0]);
  });

  test('errors have OpenAI shape and statuses', async () => {
    const bad = new OpenAI({ baseURL: `${upstream.url}/v1`, apiKey: 'not-a-key', maxRetries: 0 });
    await assert.rejects(
      bad.images.edit({ model: 'qwen-edit', image: await toFile(cat, 'cat.png'), prompt: 'x' }),
      (e: any) => e instanceof OpenAI.AuthenticationError && e.code === 'invalid_api_key',
    );
    await assert.rejects(
      client().images.edit({ model: 'qwen-edit', image: await toFile(cat, 'cat.png'), prompt: 'x', n: 2 }),
      (e: any) => e instanceof OpenAI.BadRequestError && e.param === 'n',
    );
    await assert.rejects(
      client().images.edit({ model: 'no-such-model', image: await toFile(cat, 'cat.png'), prompt: 'x' }),
      (e: any) => e.status === 400 && /Unknown model/.test(e.message),
    );
    await assert.rejects(
      client().images.edit({ model: 'qwen-edit', image: await toFile(cat, 'cat.png'), prompt: 'x', response_format: 'url' }),
      (e: any) => e.status === 400 && e.param === 'response_format',
    );
    await assert.rejects(
      client().images.edit({ model: 'qwen-edit', image: await toFile(cat, 'cat.png'), prompt: 'x', size: '1792x1024' }),
      (e: any) => e.status === 400 && e.param === 'size',
    );
  });

  test('an openai engine pointed at our /v1/images/edits', async () => {
    const res = await callApi(gateway, 'image/edit', {
      model: 'qwen-openai',
      prompt: 'make it a negative',
      image: cat.toString('base64'),
      seed: 99,
    });
    assert.equal(res.status, 200, res.body.toString());
    assert.ok((await distanceFromNegative(res.body, cat)) < 12);
    assert.equal(comfy.prompts.at(-1)!.prompt['40'].inputs?.seed, 99, 'the seed went through both hops');
  });
});
