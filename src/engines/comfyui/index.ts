import type { EngineFactory } from '../engine-factory.js';
import { ComfyUiEngine } from './engine.js';
import { comfyUiOptionsSchema, type ComfyUiOptions } from './options.js';

/** `"engine": "comfyui"`: ComfyUI's HTTP and websocket API (a server running a workflow, by default Qwen-Image-Edit-2509). Options: see options.ts and docs/backends.md. */
export const comfyUiEngineFactory: EngineFactory<ComfyUiOptions> = {
  kind: 'comfyui',
  optionsSchema: comfyUiOptionsSchema,
  create: (options, context, modelId) => new ComfyUiEngine(modelId, options, context),
};
