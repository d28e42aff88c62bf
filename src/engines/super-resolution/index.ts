import { superResolutionResource } from '../../resources/super-resolution/index.js';
import type { EngineFactory } from '../engine-factory.js';
import { SuperResolutionEngine } from './engine.js';
import { superResolutionOptionsSchema, type SuperResolutionEngineOptions } from './options.js';

/**
 * `"engine": "super-resolution"`: local 2x/4x upscaling (see engine.ts and docs/upscaling.md). The
 * networks run in a shared resource, started on the first request (or by `serve`'s warm-up).
 */
export const superResolutionEngineFactory: EngineFactory<SuperResolutionEngineOptions> = {
  kind: 'super-resolution',
  // Enlarges (so not the input's size); the networks sharpen what is there rather than invent (creativity is at most 0.02).
  traits: { runs: 'local', operations: ['upscale'], newContent: false, keepsInputSize: false, upstreamFields: [] },
  optionsSchema: superResolutionOptionsSchema,
  create(options, context) {
    const { workers, tileSize, tileOverlap } = options;
    return new SuperResolutionEngine(
      () => context.resources.get(superResolutionResource({ workers, tileSize, tileOverlap })),
      options,
    );
  },
};
