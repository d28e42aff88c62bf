import type { EngineRequest } from '../../../src/engines/engine.js';
import { superResolutionOptionsSchema } from '../../../src/engines/super-resolution/options.js';
import { superResolutionEngineFactory } from '../../../src/engines/super-resolution/index.js';
import type { RawImage } from '../../../src/imaging/raw-image.js';
import {
  createSuperResolution,
  superResolutionResource,
  type SuperResolution,
} from '../../../src/resources/super-resolution/index.js';
import { testEngineContext } from '../../helpers/engine-context.js';
import { loadPhoto } from '../../imaging/photo-fixtures.js';
import { runEngineConformance } from '../conformance.js';

/**
 * The super-resolution engine against the kit's conformance suite, with the real networks (esrgan-medium,
 * the faster faithful family, and small tiles so that the slow request spends its time in many tiles).
 * One pool for the file, handed to the engines' registry with a counter of the enlargements asked for.
 */
const photo: RawImage = await loadPhoto('chelsea', 256);
const options = superResolutionOptionsSchema.parse({ faithful: 'esrgan-medium', tileSize: 64, tileOverlap: 8 });
const real = createSuperResolution(options, { info() {}, error() {} });
let upscales = 0;
const counting: SuperResolution = {
  plan: real.plan,
  status: (models) => real.status(models),
  upscale: (job, signal) => {
    upscales++;
    return real.upscale(job, signal);
  },
  warmUp: (models) => real.warmUp(models),
  close: () => real.close(),
};
const context = testEngineContext();
context.resources.provide(superResolutionResource(options), counting);

const request = (operation: EngineRequest['operation'], signal: AbortSignal, scale: 2 | 4 = 2): EngineRequest => ({
  operation,
  images: [photo],
  prompt: '',
  options: { scale, creativity: 0 },
  signal,
});

runEngineConformance({
  factory: superResolutionEngineFactory,
  async create() {
    return { engine: superResolutionEngineFactory.create(options, context, 'upscaler') };
  },
  workDone: () => upscales,
  unsupported: { operation: 'edit', request: (signal) => request('edit', signal) },
  served: {
    request: (signal) => request('upscale', signal),
    size: { width: photo.width * 2, height: photo.height * 2 },
    channels: [3],
  },
  slow: (signal) => request('upscale', signal, 4),
  skip: { 'untouched outside the mask': 'upscaling takes no mask' },
});
