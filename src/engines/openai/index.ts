import type { EngineFactory } from '../engine-factory.js';
import { OpenAiEngine } from './engine.js';
import { openAiOptionsSchema, type OpenAiOptions } from './options.js';

/** `"engine": "openai"`: a server with OpenAI's `POST /v1/images/edits` (vLLM-Omni, SGLang, OpenAI itself). Options: see options.ts and docs/backends.md. */
export const openAiEngineFactory: EngineFactory<OpenAiOptions> = {
  kind: 'openai',
  optionsSchema: openAiOptionsSchema,
  create: (options, context, modelId) => new OpenAiEngine(modelId, options, context),
};
