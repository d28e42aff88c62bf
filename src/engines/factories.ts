import type { EngineFactory } from './model-registry.js';
import { segmentationEngineFactory } from './segmentation/index.js';
import { localEditFactory } from './local-edit/engine.js';
import { comfyUiEngineFactory } from './comfyui/options.js';
import { openAiEngineFactory } from './openai/options.js';
import { superResolutionEngineFactory } from './super-resolution/index.js';
import { veniceEngineFactory } from './venice/options.js';

/**
 * Every engine kind the config can name (`"engine": "<kind>"`). Each engine folder exports its factory;
 * it is listed here once.
 */
export const ENGINE_FACTORIES: ReadonlyArray<EngineFactory<any>> = [
  localEditFactory,
  segmentationEngineFactory,
  comfyUiEngineFactory,
  openAiEngineFactory,
  veniceEngineFactory,
  superResolutionEngineFactory,
];
