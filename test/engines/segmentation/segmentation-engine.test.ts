import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { loadConfig } from '../../../src/config/load.js';
import type { EngineContext } from '../../../src/engines/context.js';
import type { EngineRequest } from '../../../src/engines/engine.js';
import { segmentationEngineFactory } from '../../../src/engines/segmentation/index.js';
import { segmenterResource, type AlphaMatte, type Segmenter } from '../../../src/resources/segmenter/index.js';
import { runEncoded, testEngineContext } from '../../helpers/engine-context.js';
import type { RawImage } from '../../../src/imaging/raw-image.js';
import { ApiError } from '../../../src/errors.js';
import { DEFAULT_SEGMENTATION_MODEL } from '../../../src/config/segmentation-models.js';

/** A segmenter double: keeps the top half of any image, and counts its calls. */
class TopHalfSegmenter implements Segmenter {
  calls = 0;
  constructor(private readonly online = true) {}
  status() {
    return this.online ? ({ online: true } as const) : ({ online: false, reason: 'model missing' } as const);
  }
  async segment(image: RawImage): Promise<AlphaMatte> {
    this.calls++;
    const data = new Uint8Array(image.width * image.height);
    data.fill(255, 0, (image.height >> 1) * image.width);
    return { data, width: image.width, height: image.height };
  }
  async close() {}
}

/** A context whose default segmentation model (`isnet-int8`) is the given double. */
function contextWith(segmenter: Segmenter, overrides = {}): EngineContext {
  const context = testEngineContext(loadConfig({ env: {}, overrides }));
  context.resources.provide(segmenterResource(DEFAULT_SEGMENTATION_MODEL), segmenter);
  return context;
}

function request(
  image: RawImage,
  options: EngineRequest['options'] = {},
  operation: EngineRequest['operation'] = 'background-remove',
): EngineRequest {
  return { operation, images: [image], prompt: '', options, signal: new AbortController().signal };
}

const image: RawImage = { data: Buffer.alloc(300 * 220 * 3, 90), width: 300, height: 220, channels: 3 };

describe('segmentation engine', () => {
  test('serves background-remove through the shared segmenter', async () => {
    const segmenter = new TopHalfSegmenter();
    const engine = segmentationEngineFactory.create({}, contextWith(segmenter), 'bg-remove');
    assert.equal(engine.kind, 'segmentation');
    assert.deepEqual(engine.status(), { online: true });
    const result = await runEncoded(engine, request(image));
    const { data, info } = await sharp(result.png).raw().toBuffer({ resolveWithObject: true });
    assert.deepEqual([info.width, info.height, info.channels], [300, 220, 4]);
    assert.equal(data[3], 255);
    assert.equal(data[data.length - 1], 0);
    assert.equal(segmenter.calls, 1);
    assert.deepEqual(engine.describe?.(), {
      segmentation_model: DEFAULT_SEGMENTATION_MODEL,
      extension_fields: ['only_mask', 'bg_color'],
    });
  });

  test('refuses other operations before running the model', async () => {
    const segmenter = new TopHalfSegmenter();
    const engine = segmentationEngineFactory.create({}, contextWith(segmenter), 'bg-remove');
    await assert.rejects(
      runEncoded(engine, request(image, {}, 'edit')),
      (e: unknown) => e instanceof ApiError && e.status === 400,
    );
    assert.equal(segmenter.calls, 0);
  });

  test("reports the segmenter's offline status with its reason", () => {
    const engine = segmentationEngineFactory.create({}, contextWith(new TopHalfSegmenter(false)), 'bg-remove');
    assert.deepEqual(engine.status(), { online: false, reason: 'model missing' });
  });

  test('an unknown model name is an offline engine; the options schema refuses unknown keys', () => {
    const engine = segmentationEngineFactory.create(
      { segmentationModel: 'nope' },
      contextWith(new TopHalfSegmenter()),
      'bg-remove',
    );
    assert.equal(engine.status().online, false);
    assert.equal(segmentationEngineFactory.optionsSchema.safeParse({ model: 'isnet' }).success, false);
    assert.equal(segmentationEngineFactory.optionsSchema.safeParse({ segmentationModel: 'isnet-quantized' }).success, true);
  });

  test('a model entry naming another model gets its own segmenter, not the shared one', async () => {
    const shared = new TopHalfSegmenter();
    const engine = segmentationEngineFactory.create({ segmentationModel: 'isnet-quantized' }, contextWith(shared), 'bg-fast');
    assert.deepEqual(engine.status(), { online: true });
    assert.deepEqual(engine.describe?.(), { segmentation_model: 'isnet-quantized', extension_fields: ['only_mask', 'bg_color'] });
    await engine.close();
    assert.equal(shared.calls, 0);
  });
});
