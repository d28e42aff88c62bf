import type { EngineFactory } from '../engine-factory.js';
import { VeniceEngine } from './engine.js';
import { veniceOptionsSchema, type VeniceOptions } from './options.js';

/** `"engine": "venice"`: Venice's API, or another server with it (a second retouch). Options: see options.ts and docs/backends.md. */
export const veniceEngineFactory: EngineFactory<VeniceOptions> = {
  kind: 'venice',
  // Venice generates at the tier asked for, blurs under safe_mode and rewrites prompts itself.
  traits: {
    runs: 'remote',
    // Every operation of the API: the upstream has the same routes (VeniceBackend.operations).
    operations: ['edit', 'multi-edit', 'background-remove', 'upscale'],
    newContent: true,
    keepsInputSize: false,
    upstreamFields: ['resolution', 'safe_mode', 'enhance_prompt', 'disable_prompt_optimization_thinking'],
  },
  optionsSchema: veniceOptionsSchema,
  create: (options, context, modelId) => new VeniceEngine(modelId, options, context),
};
