import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadConfig } from '../../../../src/config/load.js';
import type { EngineRequest } from '../../../../src/engines/engine.js';
import { executePlan } from '../../../../src/engines/local-edit/run/executor.js';
import { localEditEngineFactory } from '../../../../src/engines/local-edit/index.js';
import { parsePrompt } from '../../../../src/engines/local-edit/prompt/parser.js';
import { chargedScale } from '../../../../src/engines/local-edit/resolve/crop-and-upscale-checks.js';
import { resolvePlan } from '../../../../src/engines/local-edit/resolve/resolve-plan.js';
import { serverUpscaleStep, type UpscaleStep } from '../../../../src/engines/local-edit/tools/upscale-step.js';
import type { RawImage } from '../../../../src/imaging/raw-image.js';
import { effectiveScale, type UpscaleScale } from '../../../../src/resources/super-resolution/upscale-scale.js';
import { testEngineContext, testImagingPool } from '../../../helpers/engine-context.js';
import { rejectsWithApiError } from '../../../helpers/api-error.js';

/**
 * Where an upscale runs in a plan, the limits it keeps and its refusals, with a recording stand-in for the
 * networks (upscale.model.test.ts runs the real ones): what matters here is which picture reaches the
 * enlargement, at which scale, and what is refused before any work.
 */

const pool = testImagingPool();

/** Records what it was handed; its "enlargement" is a pixel replication, enough to check sizes. */
function recordingUpscaler(unavailable: string | null = null) {
  const calls: Array<{ image: RawImage; scale: UpscaleScale }> = [];
  const step: UpscaleStep = {
    unavailable: () => unavailable,
    scaleFor: effectiveScale,
    async run(image, scale) {
      calls.push({ image, scale });
      return { kind: 'raw', image: { ...image, width: image.width * scale, height: image.height * scale } };
    },
    admit: () => {},
    priceMicros: (scale) => (scale === 2 ? 20_000 : 80_000),
    describe: () => ({}),
  };
  return { step, calls };
}

/** A flat grey picture: the checks here read sizes and means, not detail. */
function flat(width: number, height: number, value = 100): RawImage {
  return { data: Buffer.alloc(width * height * 3, value), width, height, channels: 3 };
}

const request = (prompt: string, image: RawImage, extra: Partial<EngineRequest> = {}): EngineRequest => ({
  operation: 'edit',
  images: [image],
  prompt,
  options: {},
  signal: new AbortController().signal,
  ...extra,
});

const resolve = (prompt: string, image: RawImage, upscaler?: UpscaleStep, extra: Partial<EngineRequest> = {}) =>
  resolvePlan(parsePrompt(prompt), request(prompt, image, extra), pool, undefined, upscaler);

const rejects = rejectsWithApiError;

describe('the enlargement runs last', () => {
  test('"brighten it and upscale by 4x": the brightening stays a step, the 4x is the plan\'s upscale', async () => {
    const { steps, upscale } = await resolve('brighten it and upscale by 4x', flat(40, 30), recordingUpscaler().step);
    assert.deepEqual(
      steps.map(({ step }) => step.op),
      ['tone'],
    );
    assert.equal(upscale?.factor, 4);
  });

  test('"upscale it 2x, then crop it square and brighten it": the network gets the cropped, brightened picture', async () => {
    const { step, calls } = recordingUpscaler();
    const image = flat(60, 40, 100);
    const plan = await resolve('upscale it 2x, then crop it square and brighten it', image, step);
    const result = await executePlan(image, plan, {
      segmenter: () => assert.fail('no step needs the subject'),
      pool,
      signal: new AbortController().signal,
      upscaler: step,
    });
    assert.equal(calls.length, 1);
    assert.deepEqual([calls[0].image.width, calls[0].image.height, calls[0].scale], [40, 40, 2]);
    assert.ok(calls[0].image.data[0] > 100, `the brightening ran before the enlargement (${calls[0].image.data[0]})`);
    assert.equal(result.kind, 'raw');
    assert.deepEqual(result.kind === 'raw' && [result.image.width, result.image.height], [80, 80]);
  });

  test('a blur given in pixels after the upscale is sized for the output', async () => {
    const { steps } = await resolve('upscale it 2x then blur it by 8px', flat(40, 30), recordingUpscaler().step);
    const tone = steps[0].step.op === 'tone' ? steps[0].step.tone : null;
    assert.deepEqual(tone, { kind: 'blur', amount: 1, pixels: 4 });
    const before = await resolve('blur it by 8px then upscale it 2x', flat(40, 30), recordingUpscaler().step);
    assert.equal(
      before.steps[0].step.op === 'tone' && before.steps[0].step.tone.kind === 'blur' && before.steps[0].step.tone.pixels,
      8,
    );
  });
});

describe('two upscales multiply, or are refused', () => {
  test('2x then 2x is one 4x enlargement', async () => {
    const { upscale } = await resolve('upscale it 2x, then upscale it 2x', flat(40, 30), recordingUpscaler().step);
    assert.equal(upscale?.factor, 4);
  });

  test('2x then 4x (8x) is refused before any work, naming the product', async () => {
    const { step, calls } = recordingUpscaler();
    await rejects(resolve('upscale it 2x, then upscale by 4x', flat(40, 30), step), 'UNSUPPORTED_INSTRUCTION', '8x', '2x or 4x');
    assert.equal(calls.length, 0);
  });

  test('a single 3x is refused by the vocabulary (the networks enlarge 2x or 4x)', () => {
    assert.throws(() => parsePrompt('upscale it 3x please'), /2x or 4x/);
  });
});

describe('output limits, as on /image/upscale', () => {
  test('a picture too large even at 2x is a 400 before any work when no step can make it smaller', async () => {
    const { step, calls } = recordingUpscaler();
    // 2100 x 2100 at 2x is 17.6 MP, over the 16,777,216-pixel output limit. Only the size is read.
    const big = { data: Buffer.alloc(3), width: 2100, height: 2100, channels: 3 } as RawImage;
    await rejects(resolve('brighten it and upscale it 2x', big, step), 'INVALID_IMAGE', '16,777,216');
    assert.equal(calls.length, 0);
  });

  test('with a crop first, the size the crop leaves decides: 3000 x 2000 cropped square fits at 2x', async () => {
    const { step, calls } = recordingUpscaler();
    const image = flat(3000, 2000);
    const plan = await resolve('crop it square and upscale it 2x', image, step);
    await executePlan(image, plan, {
      segmenter: () => assert.fail('no subject'),
      pool,
      signal: new AbortController().signal,
      upscaler: step,
    });
    assert.deepEqual([calls[0].image.width, calls[0].scale], [2000, 2]);
  });

  test('4x drops to 2x when the 4x output would pass the limit (1100 x 1000: 17.6 MP at 4x)', async () => {
    const { step, calls } = recordingUpscaler();
    const image = flat(1100, 1000);
    const plan = await resolve('upscale by 4x', image, step);
    await executePlan(image, plan, {
      segmenter: () => assert.fail('no subject'),
      pool,
      signal: new AbortController().signal,
      upscaler: step,
    });
    assert.equal(calls[0].scale, 2);
  });

  test('the scale charged is the one run: 1100 x 1000 cropped square and upscaled 4x runs at 2x', async () => {
    // The price is decided before any work, on the picture as sent (4x would pass the limit there), so
    // the enlargement stays at 2x even though the 1000 x 1000 crop alone would fit at 4x.
    const { step, calls } = recordingUpscaler();
    const image = flat(1100, 1000);
    assert.equal(chargedScale(step, image, 4), 2);
    const plan = await resolve('crop it square and upscale by 4x', image, step);
    await executePlan(image, plan, {
      segmenter: () => assert.fail('no subject'),
      pool,
      signal: new AbortController().signal,
      upscaler: step,
    });
    assert.deepEqual([calls[0].image.width, calls[0].scale], [1000, 2]);
  });
});

describe('where the networks cannot run, upscales are refused with a pointer to /image/upscale', () => {
  test('unavailable networks: a refusal naming the reason and the endpoint, never a resize', async () => {
    const { step, calls } = recordingUpscaler('super-resolution network esrgan-thick-x2: the package is missing');
    await rejects(
      resolve('upscale it 2x', flat(40, 30), step),
      'UNSUPPORTED_INSTRUCTION',
      'package is missing',
      '/api/v1/image/upscale',
    );
    assert.equal(calls.length, 0);
  });

  test('a server whose upscale model is remote (or absent) refuses upscales in local-edit and says so in describe()', async () => {
    const remote = loadConfig({
      env: {},
      overrides: { logLevel: 'silent', models: { upscaler: { engine: 'venice', type: 'upscale', priceUsd: 0.02 } } },
    });
    assert.match(serverUpscaleStep(testEngineContext(remote)).unavailable() ?? '', /runs on the venice engine/);
    const none = loadConfig({ env: {}, overrides: { logLevel: 'silent', upscaleModel: 'nothing-here' } });
    const engine = localEditEngineFactory.create(
      localEditEngineFactory.optionsSchema.parse({}),
      testEngineContext(none),
      'local-edit',
    );
    const run = engine.run(request('upscale it 2x', flat(40, 30)));
    await rejects(run, 'UNSUPPORTED_INSTRUCTION', 'no upscale model', 'nothing-here', '/api/v1/image/upscale');
    const described = engine.describe?.().upscale as { available: boolean; instead: string };
    assert.deepEqual([described.available, described.instead], [false, 'POST /api/v1/image/upscale']);
  });

  test('with the default config, the networks are installed and local-edit reports upscaling available', () => {
    const engine = localEditEngineFactory.create(
      localEditEngineFactory.optionsSchema.parse({}),
      testEngineContext(),
      'local-edit',
    );
    const described = engine.describe?.().upscale as { available: boolean; network: Record<string, string>; creativity: number };
    assert.deepEqual(
      [described.available, described.network, described.creativity],
      [true, { '2x': 'esrgan-medium-x2', '4x': 'esrgan-thick-x4', precision: 'int8' }, 0],
    );
  });
});
