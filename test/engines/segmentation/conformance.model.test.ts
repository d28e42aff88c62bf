import { after } from 'node:test';
import type { EngineRequest } from '../../../src/engines/engine.js';
import { segmentationEngineFactory } from '../../../src/engines/segmentation/index.js';
import type { RawImage } from '../../../src/imaging/raw-image.js';
import { createSegmenter, segmenterResource, type Segmenter } from '../../../src/resources/segmenter/index.js';
import { testEngineContext } from '../../helpers/engine-context.js';
import { loadPhoto } from '../../imaging/photo-fixtures.js';
import { runEngineConformance } from '../conformance.js';
import { DEFAULT_SEGMENTATION_MODEL } from '../../../src/config/segmentation-models.js';

/**
 * The segmentation engine against the kit's conformance suite, with the real ISNet model (one segmenter
 * for the file, so the model loads once; the registry of each engine is handed that instance).
 */

const photo: RawImage = await loadPhoto('chelsea');
let segmentCalls = 0;
let shared: Segmenter | undefined;
after(() => shared?.close());
const context = testEngineContext();
context.resources.provide(segmenterResource(DEFAULT_SEGMENTATION_MODEL), countingSegmenter());

/** The real segmenter, counting its calls; closing it is left to the file's end. */
function countingSegmenter(): Segmenter {
  shared ??= createSegmenter(testEngineContext().config, { info() {}, error() {} });
  const real = shared;
  return {
    status: () => real.status(),
    segment: (image, signal) => {
      segmentCalls++;
      return real.segment(image, signal);
    },
    warmUp: () => real.warmUp?.() ?? Promise.resolve(),
    close: async () => {},
  };
}

const request = (operation: EngineRequest['operation'], signal: AbortSignal): EngineRequest => ({
  operation,
  images: [photo],
  prompt: '',
  options: {},
  signal,
});

runEngineConformance({
  factory: segmentationEngineFactory,
  async create() {
    return {
      engine: segmentationEngineFactory.create({}, context, 'bg-remove'),
      cleanup: async () => {},
    };
  },
  workDone: () => segmentCalls,
  unsupported: { operation: 'edit', request: (signal) => request('edit', signal) },
  served: {
    request: (signal) => request('background-remove', signal),
    size: { width: photo.width, height: photo.height },
    channels: [4],
  },
  slow: (signal) => request('background-remove', signal),
  skip: {
    'untouched outside the mask':
      'background removal takes no mask; its colour channels are checked in test/jobs/finish-output.test.ts',
  },
});
