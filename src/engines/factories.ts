import type { EngineFactory } from './registry.js';
import { segmentationEngineFactory } from './segmentation/index.js';
import { localEditFactory } from './local-edit/engine.js';
import { comfyUiEngineFactory } from './remote/comfyui/index.js';
import { openAiEngineFactory } from './remote/openai/index.js';
import { veniceEngineFactory } from './remote/venice/index.js';

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
];
