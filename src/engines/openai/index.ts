import type { EngineFactory } from '../engine-factory.js';
import { OpenAiEngine } from './engine.js';
import { OPENAI_OPERATIONS } from './openai-backend.js';
import { openAiOptionsSchema, type OpenAiOptions } from './options.js';

/** `"engine": "openai"`: a server with OpenAI's `POST /v1/images/edits` (vLLM-Omni, SGLang, OpenAI itself). Options: see options.ts and docs/backends.md. */
export const openAiEngineFactory: EngineFactory<OpenAiOptions> = {
  kind: 'openai',
  // A generative image model behind OpenAI's API: new content at its own size; none of Venice's fields.
  traits: { runs: 'remote', operations: OPENAI_OPERATIONS, newContent: true, keepsInputSize: false, upstreamFields: [] },
  optionsSchema: openAiOptionsSchema,
  create: (options, context, modelId) => new OpenAiEngine(modelId, options, context),
};
