import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/load.js';
import { ApiError } from '../../../src/errors.js';
import { createSegmenter } from '../../../src/resources/segmenter/index.js';
import type { RawImage } from '../../../src/imaging/raw-image.js';
import { tinyBrightnessModel } from './tiny-onnx.js';

const quiet = { info() {}, error() {} };
const SIDE = 32;

/** 96x64: the left half dark, the right half bright. */
function halves(): RawImage {
  const width = 96,
    height = 64;
  const data = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) data.fill(i % width >= width / 2 ? 230 : 20, 3 * i, 3 * i + 3);
  return { data, width, height, channels: 3 };
}

describe('operator-registered ONNX models', () => {
  let dir: string;
  let path: string;
  let sha256: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'retouch-tiny-'));
    path = join(dir, 'tiny.onnx');
    const model = tinyBrightnessModel(SIDE);
    sha256 = createHash('sha256').update(model).digest('hex');
    await writeFile(path, model);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const configWith = (model: Record<string, unknown>) =>
    loadConfig({
      env: {},
      overrides: { segmentation: { tiny: { path, inputSize: SIDE, ...model } } as any, workers: { segmentation: 1 } },
    });

  test('run through the worker pool with their input size, normalisation, output index and activation', async () => {
    const segmenter = createSegmenter(
      configWith({ mean: [0, 0, 0], std: [1, 1, 1], outputIndex: 1, activation: 'minmax', sha256 }),
      quiet,
      {
        model: 'tiny',
      },
    );
    try {
      assert.deepEqual(segmenter.status(), { online: true });
      const image = halves();
      const matte = await segmenter.segment(image);
      assert.equal(matte.width, image.width);
      assert.equal(matte.height, image.height);
      const row = 32 * image.width;
      assert.equal(matte.data[row + 5], 0);
      assert.equal(matte.data[row + 90], 255);
      assert.ok(image.data.length === image.width * image.height * 3, "the caller's pixels are not detached");
    } finally {
      await segmenter.close();
    }
  });

  test('more concurrent calls than workers queue up and all complete', async () => {
    const segmenter = createSegmenter(configWith({ outputIndex: 1 }), quiet, { model: 'tiny', workers: 1 });
    try {
      const mattes = await Promise.all(Array.from({ length: 6 }, () => segmenter.segment(halves())));
      for (const matte of mattes) assert.equal(matte.data[32 * 96 + 90], 255);
    } finally {
      await segmenter.close();
    }
  });

  test('outputIndex selects the output (index 0 of this model is the inverted map)', async () => {
    const segmenter = createSegmenter(configWith({ outputIndex: 0, activation: 'minmax' }), quiet, { model: 'tiny' });
    try {
      const image = halves();
      const matte = await segmenter.segment(image);
      assert.equal(matte.data[32 * image.width + 5], 255);
      assert.equal(matte.data[32 * image.width + 90], 0);
    } finally {
      await segmenter.close();
    }
  });

  test('a model failing its digest answers 503 and turns the status offline', async () => {
    const segmenter = createSegmenter(configWith({ sha256: 'f'.repeat(64) }), quiet, { model: 'tiny' });
    try {
      assert.equal(segmenter.status().online, true);
      await assert.rejects(segmenter.segment(halves()), (e: unknown) => e instanceof ApiError && e.status === 503);
      const status = segmenter.status();
      assert.equal(status.online, false);
      assert.match(status.online ? '' : status.reason, /integrity check/);
      assert.ok(!(status.online ? '' : status.reason).includes(dir), 'no path in the reason');
    } finally {
      await segmenter.close();
    }
  });

  test('a missing file or an unknown name is offline without starting any worker', async () => {
    const missing = loadConfig({
      env: {},
      overrides: { segmentation: { gone: { path: join(dir, 'gone.onnx'), inputSize: 320 } } as any },
    });
    const gone = createSegmenter(missing, quiet, { model: 'gone' });
    assert.deepEqual(gone.status(), {
      online: false,
      reason: 'segmentation model gone: the model file was not found',
      unserved: true,
    });
    await assert.rejects(gone.segment(halves()), (e: unknown) => e instanceof ApiError && e.code === 'MODEL_UNAVAILABLE');
    const unknown = createSegmenter(missing, quiet, { model: 'nope' });
    assert.match((unknown.status() as { reason: string }).reason, /unknown segmentation model "nope"/);
    await Promise.all([gone.close(), unknown.close()]);
  });

  test('built-in names cannot be redefined in the config', () => {
    assert.throws(
      () => loadConfig({ env: {}, overrides: { segmentation: { isnet: { path, inputSize: 32 } } as any } }),
      /cannot be redefined/,
    );
  });
});
