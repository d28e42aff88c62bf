import { runEncoded } from '../../helpers/engine-context.js';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { ApiError } from '../../../src/errors.js';
import type { RawImage } from '../../../src/imaging/raw-image.js';
import { openAiEngineFactory } from '../../../src/engines/openai/index.js';
import { veniceEngineFactory } from '../../../src/engines/venice/index.js';
import { createEngine, decode, editRequest, fixture, rectangleMask } from './helpers.js';

/**
 * The request shapes of the openai and venice backends, read back by a recording server on 127.0.0.1
 * (their behaviour against a real server is the e2e test's: test/e2e/remote-backends.test.ts).
 */

interface Recorded {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  form?: FormData;
  json?: any;
}

let server: Server;
let url = '';
const recorded: Recorded[] = [];
let answer: (req: Recorded, res: ServerResponse) => void = () => undefined;
let cat: RawImage;

before(async () => {
  cat = await fixture('chelsea.png');
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const entry: Recorded = { method: req.method!, path: req.url!, headers: req.headers };
    const type = req.headers['content-type'] ?? '';
    if (type.startsWith('multipart/'))
      entry.form = await new Request('http://x', { method: 'POST', headers: { 'content-type': type }, body }).formData();
    if (type.startsWith('application/json')) entry.json = JSON.parse(body.toString());
    recorded.push(entry);
    answer(entry, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const pngOf = async (image: RawImage) => sharp(image.data, { raw: image }).png().toBuffer();
const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

describe('openai backend', () => {
  const options = (extra: Record<string, unknown> = {}) => ({
    endpoints: [{ url: `${url}/v1`, apiKey: 'sk-operator' }],
    model: 'gpt-image-1',
    healthCheckIntervalMs: 0,
    ...extra,
  });

  test('one image: multipart `image`, model, prompt, n=1, bearer key; b64_json answer', async () => {
    recorded.length = 0;
    answer = async (_req, res) => json(res, 200, { created: 1, data: [{ b64_json: (await pngOf(cat)).toString('base64') }] });
    const engine = createEngine(openAiEngineFactory, options({ size: 'input', extraFields: { quality: 'high' } }));
    const result = await runEncoded(engine, editRequest([cat], { prompt: 'add a hat' }));
    assert.deepEqual([result.width, result.height], [cat.width, cat.height]);
    const call = recorded[0];
    assert.equal(call.path, '/v1/images/edits');
    assert.equal(call.headers.authorization, 'Bearer sk-operator');
    assert.equal(call.form!.get('model'), 'gpt-image-1');
    assert.equal(call.form!.get('prompt'), 'add a hat');
    assert.equal(call.form!.get('n'), '1');
    assert.equal(call.form!.get('size'), '451x300');
    assert.equal(call.form!.get('quality'), 'high');
    assert.equal(call.form!.get('response_format'), null, 'gpt-image models refuse response_format');
    assert.ok(call.form!.get('image') instanceof File);
    await engine.close();
  });

  test('a reference layer and a mask: `image[]` twice and `mask` with alpha 0 where edited', async () => {
    recorded.length = 0;
    answer = async (_req, res) => json(res, 200, { data: [{ b64_json: (await pngOf(cat)).toString('base64') }] });
    const engine = createEngine(openAiEngineFactory, options());
    const coffee = await fixture('coffee.png');
    const mask = await rectangleMask(cat.width, cat.height, { left: 100, top: 100, width: 100, height: 100 });
    await runEncoded(engine, editRequest([cat, coffee, mask]));
    const form = recorded[0].form!;
    assert.equal(form.getAll('image[]').length, 2);
    assert.equal(form.get('image'), null);
    const sentMask = await decode(Buffer.from(await (form.get('mask') as File).arrayBuffer()));
    assert.equal(sentMask.channels, 4);
    assert.equal(sentMask.data[(150 * sentMask.width + 150) * 4 + 3], 0);
    assert.equal(sentMask.data[(10 * sentMask.width + 10) * 4 + 3], 255);
    await engine.close();
  });

  test('a `url` answer is downloaded; moderation is a 400 content violation; 401 is a 500', async () => {
    const engine = createEngine(openAiEngineFactory, options({ retries: 0 }));
    const png = await pngOf(cat);
    answer = (req, res) =>
      req.path === '/files/out.png'
        ? res.writeHead(200, { 'content-type': 'image/png' }).end(png)
        : json(res, 200, { data: [{ url: `${url}/files/out.png` }] });
    const result = await runEncoded(engine, editRequest([cat]));
    assert.equal(result.width, cat.width);
    answer = (_req, res) =>
      json(res, 400, {
        error: {
          message: 'Your request was rejected by the safety system',
          type: 'image_generation_user_error',
          code: 'moderation_blocked',
          param: null,
        },
      });
    await assert.rejects(
      runEncoded(engine, editRequest([cat])),
      (e: unknown) =>
        e instanceof ApiError && e.code === 'CONTENT_VIOLATION' && e.headers['x-venice-is-content-violation'] === 'true',
    );
    answer = (_req, res) =>
      json(res, 401, { error: { message: 'Incorrect API key provided: sk-oper***', code: 'invalid_api_key' } });
    await assert.rejects(
      runEncoded(engine, editRequest([cat])),
      (e: unknown) => e instanceof ApiError && e.status === 500 && !/sk-/.test(e.message),
    );
    await engine.close();
  });

  test('options are validated at start', () => {
    assert.equal(openAiEngineFactory.optionsSchema.safeParse({ endpoints: [] }).success, false, 'model is required');
    assert.equal(openAiEngineFactory.optionsSchema.safeParse({ model: 'x', size: 'big' }).success, false);
    assert.equal(openAiEngineFactory.optionsSchema.safeParse({ model: 'x', endpoints: [{ url: 'ftp://x' }] }).success, false);
  });
});

describe('venice backend', () => {
  const options = () => ({
    endpoints: [{ url: `${url}/api/v1`, apiKey: 'venice-operator-key' }],
    healthCheckIntervalMs: 0,
    retries: 0,
  });

  test('each operation goes to its route with the documented JSON fields', async () => {
    recorded.length = 0;
    const png = await pngOf(cat);
    answer = (_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(png);
    const engine = createEngine(veniceEngineFactory, options(), 'qwen-edit');
    await runEncoded(engine, editRequest([cat], { prompt: 'remove the tree' }));
    await runEncoded(engine, editRequest([cat, await fixture('coffee.png')], { prompt: 'combine' }));
    await runEncoded(engine, editRequest([cat], { operation: 'background-remove', prompt: '' }));
    assert.deepEqual(
      recorded.map((r) => r.path),
      ['/api/v1/image/edit', '/api/v1/image/multi-edit', '/api/v1/image/background-remove'],
    );
    // The upstream is asked for PNG (it is re-encoded here in the client's format), nothing else unasked.
    assert.deepEqual(Object.keys(recorded[0].json).sort(), ['image', 'model', 'output_format', 'prompt']);
    assert.equal(recorded[0].json.output_format, 'png');
    assert.equal(recorded[0].json.model, 'qwen-edit');
    assert.equal(recorded[1].json.modelId, 'qwen-edit');
    assert.equal(recorded[1].json.images.length, 2);
    assert.deepEqual(Object.keys(recorded[2].json), ['image']);
    assert.equal(recorded[0].headers.authorization, 'Bearer venice-operator-key');
    await engine.close();
  });

  test("Venice's fields are forwarded, and the upstream's blur and rewritten prompt are reported", async () => {
    recorded.length = 0;
    const big = await sharp({ create: { width: 2048, height: 1536, channels: 3, background: '#336699' } })
      .png()
      .toBuffer();
    answer = (_req, res) =>
      res
        .writeHead(200, {
          'content-type': 'image/png',
          'x-venice-is-blurred': 'true',
          'x-venice-enhanced-prompt': encodeURIComponent('a snowy street, dusk'),
        })
        .end(big);
    const engine = createEngine(veniceEngineFactory, options(), 'gpt-image-2-edit');
    const notes: Record<string, unknown> = {};
    const fields = {
      resolution: '2K',
      quality: 'high',
      safeMode: false,
      enhancePrompt: true,
      disablePromptOptimizationThinking: true,
    } as const;
    const result = await engine.run(
      editRequest([cat, await fixture('coffee.png')], { prompt: 'add snow', options: fields, notes }),
    );
    const sent = recorded[0].json;
    assert.deepEqual(
      [sent.resolution, sent.quality, sent.safe_mode, sent.enhance_prompt, sent.disable_prompt_optimization_thinking],
      ['2K', 'high', false, true, true],
    );
    assert.deepEqual(notes, { blurred: true, enhancedPrompt: 'a snowy street, dusk' });
    // Made at the tier upstream: the answer keeps the upstream's size rather than the input frame's.
    assert.equal(result.kind === 'raw' ? result.image.width : 0, 2048);
    await engine.close();
  });

  test("the upstream's content-violation header is a 400; its 402 and 500 are 500s; its 503 is a 503", async () => {
    const engine = createEngine(veniceEngineFactory, options(), 'qwen-edit');
    const cases: Array<[number, Record<string, string>, string]> = [
      [400, { 'x-venice-is-content-violation': 'true' }, 'CONTENT_VIOLATION'],
      [400, {}, 'INVALID_PARAMETERS'],
      [402, {}, 'INFERENCE_FAILED'],
      [500, {}, 'INFERENCE_FAILED'],
      [503, { 'retry-after': '7' }, 'MODEL_AT_CAPACITY'],
    ];
    for (const [status, headers, code] of cases) {
      answer = (_req, res) => json(res, status, { error: 'upstream says: http://10.0.0.5 failed' }, headers);
      await assert.rejects(
        runEncoded(engine, editRequest([cat])),
        (e: unknown) => e instanceof ApiError && e.code === code && !/10\.0\.0\.5/.test(e.message),
      );
    }
    await engine.close();
  });

  test('health: an upstream that lists the model offline makes it offline here', async () => {
    answer = (_req, res) => json(res, 200, { object: 'list', data: [{ id: 'qwen-edit', model_spec: { offline: true } }] });
    const engine = createEngine(veniceEngineFactory, { ...options(), healthCheckIntervalMs: 20 }, 'qwen-edit');
    for (let i = 0; i < 100 && engine.status().online; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(engine.status().online, false);
    answer = (_req, res) => json(res, 200, { object: 'list', data: [{ id: 'qwen-edit', model_spec: { offline: false } }] });
    for (let i = 0; i < 100 && !engine.status().online; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(engine.status().online, true);
    assert.ok(recorded.some((r) => r.path === '/api/v1/models'));
    await engine.close();
  });
});
