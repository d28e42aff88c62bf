import { z } from 'zod';
import { UnavailableEngine, type EngineFactory } from './registry.js';
import { segmentationEngineFactory } from './segmentation/index.js';
import { localEditFactory } from './local-edit/engine.js';
import { comfyUiEngineFactory } from './remote/comfyui/index.js';
import { openAiEngineFactory } from './remote/openai/index.js';
import { veniceEngineFactory } from './remote/venice/index.js';

/**
 * Every engine kind the config can name. Each engine folder exports its factory; it is listed here once.
 */
function notBuiltYet(kind: string): EngineFactory<unknown> {
  return {
    kind,
    optionsSchema: z.unknown(),
    create: () => new UnavailableEngine(kind, `the ${kind} engine is not part of this build`),
  };
}

export const ENGINE_FACTORIES: ReadonlyArray<EngineFactory<any>> = [
  localEditFactory,
  segmentationEngineFactory,
  comfyUiEngineFactory,
  openAiEngineFactory,
  veniceEngineFactory,
];
