import { z } from 'zod';
import { UnavailableEngine, type EngineFactory } from './registry.js';

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
  notBuiltYet('local-edit'),
  notBuiltYet('segmentation'),
  notBuiltYet('comfyui'),
  notBuiltYet('openai'),
  notBuiltYet('venice'),
];
