import type { EngineFactory } from '../engine-factory.js';
import { COMFYUI_OPERATIONS } from './comfyui-backend.js';
import { ComfyUiEngine } from './engine.js';
import { comfyUiOptionsSchema, type ComfyUiOptions } from './options.js';

/** `"engine": "comfyui"`: ComfyUI's HTTP and websocket API (a server running a workflow, by default Qwen-Image-Edit-2509). Options: see options.ts and docs/backends.md. */
export const comfyUiEngineFactory: EngineFactory<ComfyUiOptions> = {
  kind: 'comfyui',
  // A generative workflow on a GPU server: it invents content (the classifier here keeps safe mode) at its own size.
  traits: { runs: 'remote', operations: COMFYUI_OPERATIONS, newContent: true, keepsInputSize: false, upstreamFields: [] },
  optionsSchema: comfyUiOptionsSchema,
  create: (options, context, modelId) => new ComfyUiEngine(modelId, options, context),
};
