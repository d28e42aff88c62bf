import type { EngineContext } from '../context.js';
import type { EngineFactory } from '../model-registry.js';
import { createSuperResolution, type SuperResolution } from '../../resources/super-resolution/sr-pool.js';
import { SuperResolutionEngine } from './engine.js';
import { superResolutionOptionsSchema, type SuperResolutionEngineOptions } from './options.js';

/**
 * `"engine": "super-resolution"`: local upscaling (see engine.ts and README, "Upscaling"). Each model entry
 * gets its own worker pool, started on its first request.
 */
export const superResolutionEngineFactory: EngineFactory<SuperResolutionEngineOptions> = {
  kind: 'super-resolution',
  optionsSchema: superResolutionOptionsSchema,
  create(options, context: EngineContext) {
    let pool: SuperResolution | undefined;
    const sr = () => (pool ??= createSuperResolution(options, context.logger));
    return new SuperResolutionEngine(sr, options, true);
  },
};
