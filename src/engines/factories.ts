import { comfyUiEngineFactory } from './comfyui/index.js';
import type { EngineFactory } from './engine-factory.js';
import { localEditEngineFactory } from './local-edit/index.js';
import { openAiEngineFactory } from './openai/index.js';
import { segmentationEngineFactory } from './segmentation/index.js';
import { superResolutionEngineFactory } from './super-resolution/index.js';
import { veniceEngineFactory } from './venice/index.js';

/**
 * Every engine kind the config can name (`"engine": "<kind>"`). Each kind is a folder of the same shape
 * whose `index.ts` exports its factory; adding a kind is a new folder and one line here.
 */
export const ENGINE_FACTORIES: ReadonlyArray<EngineFactory<unknown>> = [
  localEditEngineFactory,
  segmentationEngineFactory,
  comfyUiEngineFactory,
  openAiEngineFactory,
  veniceEngineFactory,
  superResolutionEngineFactory,
];
