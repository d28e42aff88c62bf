import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import OpenAI, { toFile } from 'openai';
import sharp from 'sharp';
import { z } from 'zod';
import { createApiKey } from '../../src/accounts/api-keys.js';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/load.js';
import type { EngineFactory } from '../../src/engines/engine-factory.js';
import { SqliteStore } from '../../src/storage/sqlite-store.js';
import { createTestApp, SCRIPTED_TRAITS, ScriptedEngine, type TestApp } from '../helpers/test-app.js';

/**
 * OpenAI clients unchanged: what apps written for OpenAI's image edits send, through the official `openai`
 * SDK against this server (gateway behaviour on the scripted engine; local-edit's answers in
 * openai-references.test.ts).
 */
const astronaut = readFileSync(path.resolve('test/fixtures/astronaut.png'));
let t: TestApp;
let client: OpenAI;

before(async () => {
  t = await createTestApp({ creditsUsd: '10', config: { rateLimits: { enabled: false } } });
  const url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  client = new OpenAI({ baseURL: `${url}/v1`, apiKey: t.key, maxRetries: 0 });
});
after(async () => t.app.close());

const photo = () => toFile(astronaut, 'astronaut.png', { type: 'image/png' });

/** Mean absolute difference per channel value, 0-255, between two same-sized pictures. */
async function meanDifference(a: Buffer, b: Buffer, size: number): Promise<number> {
  const raw = (image: Buffer) => sharp(image).resize(size, size).removeAlpha().raw().toBuffer();
  const [x, y] = await Promise.all([raw(a), raw(b)]);
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += Math.abs(x[i]! - y[i]!);
  return sum / x.length;
}

describe('size', () => {
  test('size 1024x1024 on a 512x512 photo answers at 1024x1024, enlarged with Lanczos, and says so', async () => {
    const { data, response } = await client.images
      .edit({ model: 'test-edit', image: await photo(), prompt: 'make it brighter', size: '1024x1024' })
      .withResponse();
    const png = Buffer.from(data.data![0]!.b64_json!, 'base64');
    const meta = await sharp(png).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 1024, 1024]);
    assert.equal(data.size, '1024x1024');
    assert.equal(response.headers.get('x-retouch-enlarged-with'), 'lanczos3');
    // The same picture, larger: brought back to 512 it is the input within resampling error.
    assert.ok((await meanDifference(png, astronaut, 512)) < 3);
  });

  test('a size the photo covers is not enlarged, and says nothing', async () => {
    const { data, response } = await client.images
      .edit({ model: 'test-edit', image: await photo(), prompt: 'make it brighter', size: '256x256' })
      .withResponse();
    assert.equal((await sharp(Buffer.from(data.data![0]!.b64_json!, 'base64')).metadata()).width, 256);
    assert.equal(response.headers.get('x-retouch-enlarged-with'), null);
  });
});

describe('model names of OpenAI', () => {
  for (const model of ['gpt-image-1', 'gpt-image-1.5', 'dall-e-2']) {
    test(`${model} is served by the default edit model, as the compatibility mapping says`, async () => {
      const before = (await t.store.getBalance(t.accountId)).balanceMicros;
      const { response } = await client.images.edit({ model, image: await photo(), prompt: 'make it brighter' }).withResponse();
      assert.equal(response.status, 200);
      const charged = before - (await t.store.getBalance(t.accountId)).balanceMicros;
      assert.equal(charged, 10_000, 'charged as test-edit ($0.01), the default edit model');
    });
  }

  test("Venice's route resolves the same names", async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/image/edit',
      headers: t.auth,
      payload: { model: 'gpt-image-1', prompt: 'make it brighter', image: astronaut.toString('base64') },
    });
    assert.equal(res.statusCode, 200, res.body);
  });

  test('the mapping is configurable: gpt-image-1 stands for the model it names', async () => {
    const other = await createTestApp({ config: { compatibilityMapping: { 'gpt-image-1': 'qwen-edit' } } });
    try {
      const res = await other.app.inject({
        method: 'POST',
        url: '/api/v1/image/edit',
        headers: other.auth,
        payload: { model: 'gpt-image-1', prompt: 'make it brighter', image: astronaut.toString('base64') },
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['x-retouch-charged-usd'], '0.04');
      assert.equal(other.app.services.models.compatibilityMapping('inpaint')['gpt-image-1'], 'qwen-edit');
    } finally {
      await other.app.close();
    }
  });
});

describe('stream: true', () => {
  test("answers with OpenAI's server-sent events, which the SDK reads as a stream", async () => {
    const stream = await client.images.edit({
      model: 'test-edit',
      image: await photo(),
      prompt: 'make it brighter',
      size: '256x256',
      stream: true,
    });
    const events: Array<{ type: string; b64_json?: string; size?: string }> = [];
    for await (const event of stream) events.push(event);
    assert.deepEqual(
      events.map((e) => e.type),
      ['image_edit.completed'],
    );
    const completed = events[0]!;
    assert.equal(completed.size, '256x256');
    const meta = await sharp(Buffer.from(completed.b64_json!, 'base64')).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 256, 256]);
  });

  test('a request that fails before any event is an ordinary OpenAI error the SDK raises', async () => {
    await assert.rejects(
      client.images.edit({ model: 'no-such-model', image: await photo(), prompt: 'x', stream: true }),
      (error: unknown) => error instanceof OpenAI.BadRequestError,
    );
  });
});

describe('the models offered in errors', () => {
  test('name only the models that are online, on both APIs', async () => {
    const up = new ScriptedEngine();
    const down = new ScriptedEngine();
    down.online = false;
    const config = loadConfig({
      env: {},
      overrides: {
        logLevel: 'silent',
        dataDir: '/nonexistent-test-dir',
        defaultEditModel: 'up-edit',
        models: {
          'up-edit': { engine: 'scripted', priceUsd: 0.01 },
          'down-edit': { engine: 'scripted-down', priceUsd: 0.01 },
          // The built-in names, on the two test engines: two edit models offline, one online.
          'firered-image-edit': { engine: 'scripted-down', priceUsd: 0.04 },
          'qwen-edit': { engine: 'scripted-down', priceUsd: 0.04 },
          'local-edit': { engine: 'scripted', priceUsd: 0.01 },
          'bg-remove': { engine: 'scripted', priceUsd: 0.02, type: 'background-removal' },
          upscaler: { engine: 'scripted', priceUsd: 0.02, type: 'upscale' },
        },
      },
    });
    const store = new SqliteStore(':memory:');
    const factory = (kind: string, engine: ScriptedEngine): EngineFactory<unknown> => ({
      kind,
      optionsSchema: z.unknown(),
      traits: SCRIPTED_TRAITS,
      create: () => engine,
    });
    const app = await buildApp(config, { store, engineFactories: [factory('scripted', up), factory('scripted-down', down)] });
    try {
      const { key } = await createApiKey(store, { name: 'errors', creditsUsd: '1' });
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      const sdk = new OpenAI({ baseURL: `${url}/v1`, apiKey: key, maxRetries: 0 });
      const error: unknown = await sdk.images.edit({ model: 'nope', image: await photo(), prompt: 'x' }).catch((e: unknown) => e);
      assert.ok(error instanceof OpenAI.BadRequestError);
      assert.match(error.message, /available: local-edit, up-edit$/);
      const venice = await app.inject({
        method: 'POST',
        url: '/api/v1/image/edit',
        headers: { authorization: `Bearer ${key}` },
        payload: { model: 'nope', prompt: 'x', image: astronaut.toString('base64') },
      });
      assert.equal(venice.statusCode, 400);
      assert.match(venice.json().error, /available: local-edit, up-edit$/);
    } finally {
      await app.close();
    }
  });
});
