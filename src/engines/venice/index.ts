import type { EngineFactory } from '../engine-factory.js';
import { VeniceEngine } from './engine.js';
import { veniceOptionsSchema, type VeniceOptions } from './options.js';

/** `"engine": "venice"`: Venice's API, or another server with it (a second retouch). Options: see options.ts and docs/backends.md. */
export const veniceEngineFactory: EngineFactory<VeniceOptions> = {
  kind: 'venice',
  optionsSchema: veniceOptionsSchema,
  create: (options, context, modelId) => new VeniceEngine(modelId, options, context),
};
