import { runEncoded } from '../../helpers/engine-context.js';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../../src/errors.js';
import { comfyUiEngineFactory } from '../../../src/engines/comfyui/index.js';
import type { RawImage } from '../../../src/imaging/raw-image.js';
import { FakeComfyUi, type FakeComfyOptions } from './comfyui-fake-server.js';
import { createEngine, decode, editRequest, fixture, meanAbsDiff, rectangleMask } from '../remote-kit/helpers.js';

/** The comfyui engine over the ComfyUI protocol test double: the full path and its error cases. */

let cat: RawImage;
before(async () => {
  cat = await fixture('chelsea.png');
});

const negative = (image: RawImage): RawImage => ({ ...image, data: Buffer.from(image.data.map((v) => 255 - v)) });

async function withComfy<T>(
  fakeOptions: FakeComfyOptions,
  engineOptions: Record<string, unknown>,
  body: (fake: FakeComfyUi, engine: ReturnType<typeof createEngine>) => Promise<T>,
) {
  const fake = await FakeComfyUi.start(fakeOptions);
  const engine = createEngine(comfyUiEngineFactory, {
    endpoints: [{ url: fake.url }],
    healthCheckIntervalMs: 0,
    retryBaseDelayMs: 5,
    ...engineOptions,
  });
  try {
    return await body(fake, engine);
  } finally {
    await engine.close();
    await fake.close();
  }
}

async function rejectsWith(promise: Promise<unknown>, code: string, status: number) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof ApiError, `expected an ApiError, got ${error}`);
    assert.equal(error.code, code);
    assert.equal(error.status, status);
    assert.doesNotMatch(error.message, /127\.0\.0\.1|node \d|KSampler|Traceback/);
    return true;
  });
}

describe('comfyui engine: the full path', () => {
  test('uploads, submits, follows the websocket, fetches /view and answers a PNG at the base size', async () => {
    await withComfy({ outputScale: 0.5 }, {}, async (fake, engine) => {
      const result = await runEncoded(engine, editRequest([cat], { prompt: 'invert the colours', options: { seed: 1234 } }));
      assert.deepEqual([result.width, result.height], [cat.width, cat.height]);
      assert.equal(result.png.subarray(1, 4).toString(), 'PNG');
      assert.deepEqual(fake.requests, ['POST /upload/image', 'POST /prompt', 'GET /view']);
      const prompt = fake.prompts[0].prompt;
      assert.equal(prompt['20'].inputs?.prompt, 'invert the colours');
      assert.equal(prompt['40'].inputs?.seed, 1234);
      // One image: the loaders of slots 2 and 3 and every link to them are gone.
      assert.equal(prompt['11'], undefined);
      assert.equal(prompt['20'].inputs?.image2, undefined);
      // The uploaded base is on the model's grid and within its pixel budget.
      const uploaded = await decode([...fake.uploads.values()][0]);
      assert.equal(uploaded.width % 16, 0);
      assert.equal(uploaded.height % 16, 0);
      const output = await decode(result.png);
      assert.ok(meanAbsDiff(output, negative(cat)) < 12, "the output is the fake model's negative");
    });
  });

  test('falls back to polling /history when the server has no websocket', async () => {
    await withComfy({ websocket: false, stepDelayMs: 5 }, { historyPollMs: 20 }, async (fake, engine) => {
      const result = await runEncoded(engine, editRequest([cat]));
      assert.equal(result.width, cat.width);
      assert.ok(fake.requests.filter((r) => r.startsWith('GET /history/')).length >= 1);
    });
  });

  test('falls back to /history when the websocket drops mid-run', async () => {
    await withComfy({ dropSocketAfter: 'execution_start', stepDelayMs: 5 }, { historyPollMs: 20 }, async (fake, engine) => {
      const result = await runEncoded(engine, editRequest([cat]));
      assert.equal(result.height, cat.height);
      assert.ok(fake.requests.some((r) => r.startsWith('GET /history/')));
    });
  });

  test('multi-edit with a mask: outside the mask the pixels are exactly the original', async () => {
    await withComfy({ outputScale: 0.75 }, {}, async (fake, engine) => {
      const box = { left: 100, top: 60, width: 200, height: 120 };
      const mask = await rectangleMask(cat.width, cat.height, box);
      const result = await runEncoded(engine, editRequest([cat, mask], { prompt: 'replace the cat with a dog' }));
      const output = await decode(result.png);
      assert.deepEqual([output.width, output.height, output.channels], [cat.width, cat.height, 3]);
      let outsideChanged = 0;
      let insideChanged = 0;
      for (let y = 0; y < cat.height; y++) {
        for (let x = 0; x < cat.width; x++) {
          const i = (y * cat.width + x) * 3;
          const same =
            output.data[i] === cat.data[i] && output.data[i + 1] === cat.data[i + 1] && output.data[i + 2] === cat.data[i + 2];
          const inside = x >= box.left && x < box.left + box.width && y >= box.top && y < box.top + box.height;
          if (!inside && !same) outsideChanged++;
          if (inside && !same) insideChanged++;
        }
      }
      assert.equal(outsideChanged, 0);
      assert.ok(insideChanged > box.width * box.height * 0.9);
      // The mask itself is not sent to the model as a picture.
      assert.equal(fake.uploads.size, 1);
    });
  });

  test('a layer that is not a mask goes to the second image slot', async () => {
    await withComfy({}, {}, async (fake, engine) => {
      const coffee = await fixture('coffee.png');
      await runEncoded(engine, editRequest([cat, coffee], { prompt: 'put the cup on the table' }));
      const prompt = fake.prompts[0].prompt;
      assert.equal(fake.uploads.size, 2);
      assert.ok(prompt['11'], 'slot 2 loader kept');
      assert.equal(prompt['12'], undefined);
      assert.deepEqual(prompt['20'].inputs?.image2, ['11', 0]);
    });
  });

  test('aspect_ratio crops the base around its centre before sending', async () => {
    await withComfy({}, {}, async (_fake, engine) => {
      const result = await runEncoded(engine, editRequest([cat], { aspectRatio: '1:1' }));
      assert.deepEqual([result.width, result.height], [300, 300]);
    });
  });
});

describe('comfyui engine: error cases', () => {
  test('node errors on submit (a model file the server lacks) are a 500 without internals', async () => {
    await withComfy({ unet: ['some_other_model.safetensors'] }, {}, async (fake, engine) => {
      await rejectsWith(runEncoded(engine, editRequest([cat])), 'INFERENCE_FAILED', 500);
      assert.equal(fake.requests.filter((r) => r === 'POST /prompt').length, 1, 'a 400 is never retried');
    });
  });

  test('an execution_error on the websocket is a 500', async () => {
    const failClass = { classType: 'VAEDecode', exceptionType: 'RuntimeError', message: 'shape mismatch' };
    await withComfy({ failClass }, {}, async (_fake, engine) => {
      await rejectsWith(runEncoded(engine, editRequest([cat])), 'INFERENCE_FAILED', 500);
    });
  });

  test('the same error found through /history when there is no websocket', async () => {
    const failClass = { classType: 'KSampler', exceptionType: 'RuntimeError', message: 'boom' };
    await withComfy({ failClass, websocket: false }, { historyPollMs: 10 }, async (_fake, engine) => {
      await rejectsWith(runEncoded(engine, editRequest([cat])), 'INFERENCE_FAILED', 500);
    });
  });

  test('running out of GPU memory is capacity: retried, then 503', async () => {
    const failClass = { classType: 'KSampler', exceptionType: 'torch.OutOfMemoryError', message: 'Allocation on device' };
    await withComfy({ failClass }, { retries: 1 }, async (fake, engine) => {
      await rejectsWith(runEncoded(engine, editRequest([cat])), 'MODEL_AT_CAPACITY', 503);
      assert.equal(fake.prompts.length, 2);
    });
  });

  test('a workflow that finishes without an output image is a 500', async () => {
    await withComfy({ omitOutput: true }, {}, async (_fake, engine) => {
      await rejectsWith(runEncoded(engine, editRequest([cat])), 'INFERENCE_FAILED', 500);
    });
  });

  test('503 from /prompt is retried with backoff and then succeeds', async () => {
    await withComfy({}, { retries: 2 }, async (fake, engine) => {
      fake.failures.set('/prompt', [503]);
      const result = await runEncoded(engine, editRequest([cat]));
      assert.equal(result.width, cat.width);
      assert.equal(fake.requests.filter((r) => r === 'POST /prompt').length, 2);
    });
  });

  test('cancellation interrupts the running prompt and rejects with the abort reason', async () => {
    await withComfy({ stepDelayMs: 50 }, {}, async (fake, engine) => {
      const controller = new AbortController();
      const run = runEncoded(engine, editRequest([cat], { signal: controller.signal }));
      while (!fake.requests.includes('POST /prompt')) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 150));
      controller.abort(new Error('client went away'));
      await assert.rejects(run, /client went away/);
      for (let i = 0; i < 50 && fake.interrupts.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(fake.interrupts, [fake.prompts[0].id]);
      assert.deepEqual(fake.deleted, [fake.prompts[0].id]);
    });
  });

  test('more pictures than the workflow has slots is a 400', async () => {
    const mapping = { prompt: '20.prompt', images: ['10.image'], seed: '40.seed' };
    await withComfy({}, { mapping }, async (_fake, engine) => {
      const coffee = await fixture('coffee.png');
      await rejectsWith(runEncoded(engine, editRequest([cat, coffee])), 'INVALID_PARAMETERS', 400);
    });
  });
});

describe('comfyui engine: configuration', () => {
  test('with no endpoint the model is not served (404, not worth a retry), without any network call', async () => {
    const engine = createEngine(comfyUiEngineFactory, {});
    assert.deepEqual(engine.status(), { online: false, reason: 'no comfyui endpoint configured', unserved: true });
    await rejectsWith(runEncoded(engine, editRequest([cat])), 'MODEL_NOT_FOUND', 404);
    await engine.close();
  });

  test('a mapping that names a missing node or input is refused at start', () => {
    const problems = (options: unknown) => {
      const parsed = comfyUiEngineFactory.optionsSchema.safeParse(options);
      return parsed.success ? [] : parsed.error.issues.map((i: { message: string }) => i.message);
    };
    assert.match(problems({ mapping: { prompt: '99.prompt', images: ['10.image'] } }).join(), /node 99/);
    assert.match(problems({ mapping: { prompt: '20.text', images: ['10.image'] } }).join(), /input 20\.text/);
    assert.match(problems({ workflow: 'workflows/missing.json' }).join(), /cannot use workflows\/missing\.json/);
    assert.deepEqual(problems({}), []);
  });

  test('the engine does not do background removal', async () => {
    await withComfy({}, {}, async (_fake, engine) => {
      await rejectsWith(runEncoded(engine, editRequest([cat], { operation: 'background-remove' })), 'INVALID_PARAMETERS', 400);
    });
  });
});

after(() => undefined);
