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
      'qwen-edit': { engine: 'comfyui', priceUsd: 0.04, aspectRatios: ['auto', '1:1', '3:2', '2:3'], options: { endpoints: [{ url: comfy.url }], ...QUICK } },
    },
  });
  gateway = await startServer({
    models: {
      'qwen-openai': {
        engine: 'openai',
        priceUsd: 0.05,
        options: { endpoints: [{ url: `${upstream.url}/v1`, apiKey: upstream.key }], model: 'qwen-edit', sendSeed: true, ...QUICK },
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
      size: '1024x1024',
    });
    const png = Buffer.from(result.data![0].b64_json!, 'base64');
    const meta = await sharp(png).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 300, 300], 'size 1024x1024 is the 1:1 crop');
    assert.ok(result.created > 0);
  });

  test('image[] with a mask: the mask is read in OpenAI convention and pixels outside stay', async () => {
    // OpenAI's convention: the image itself, transparent where it is to be edited (x, y in 50..150).
    const pixels = await raw(await sharp(cat).ensureAlpha().png().toBuffer());
    for (let y = 50; y < 150; y++) for (let x = 50; x < 150; x++) pixels.data[(y * 451 + x) * 4 + 3] = 0;
    const hole = await sharp(pixels.data, { raw: { width: 451, height: 300, channels: 4 } }).png().toBuffer();
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
    await assert.rejects(bad.images.edit({ model: 'qwen-edit', image: await toFile(cat, 'cat.png'), prompt: 'x' }), (e: any) => e instanceof OpenAI.AuthenticationError && e.code === 'invalid_api_key');
    await assert.rejects(client().images.edit({ model: 'qwen-edit', image: await toFile(cat, 'cat.png'), prompt: 'x', n: 2 }), (e: any) => e instanceof OpenAI.BadRequestError && e.param === 'n');
    await assert.rejects(client().images.edit({ model: 'dall-e-2', image: await toFile(cat, 'cat.png'), prompt: 'x' }), (e: any) => e.status === 400 && /Unknown model/.test(e.message));
    await assert.rejects(client().images.edit({ model: 'qwen-edit', image: await toFile(cat, 'cat.png'), prompt: 'x', response_format: 'url' }), (e: any) => e.status === 400 && e.param === 'response_format');
    await assert.rejects(client().images.edit({ model: 'qwen-edit', image: await toFile(cat, 'cat.png'), prompt: 'x', size: '1792x1024' }), (e: any) => e.status === 400 && e.param === 'size');
  });

  test('an openai engine pointed at our /v1/images/edits', async () => {
    const res = await callApi(gateway, 'image/edit', { model: 'qwen-openai', prompt: 'make it a negative', image: cat.toString('base64'), seed: 99 });
    assert.equal(res.status, 200, res.body.toString());
    assert.ok((await distanceFromNegative(res.body, cat)) < 12);
    assert.equal(comfy.prompts.at(-1)!.prompt['40'].inputs?.seed, 99, 'the seed went through both hops');
  });
});
