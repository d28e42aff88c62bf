import type { z } from 'zod';
import type { EngineContext } from '../engines/context.js';
import type { EngineFactory } from '../engines/model-registry.js';
import type { RemoteBackend } from './backend.js';
import type { RemoteOptions } from './options.js';
import { RemoteEngine } from './remote-engine.js';

/**
 * An engine factory for one backend kind: the config's `options` are validated by the backend's schema
 * (the shared remote settings plus its own), and each model gets a RemoteEngine around a new backend.
 *
 * @example
 * export const openAiEngineFactory = remoteEngineFactory('openai', openAiOptionsSchema,
 *   (options) => new OpenAiBackend(options));
 */
export function remoteEngineFactory<Options extends RemoteOptions>(
  kind: string,
  optionsSchema: z.ZodType<Options>,
  createBackend: (options: Options, context: EngineContext, modelId: string) => RemoteBackend,
): EngineFactory<Options> {
  return {
    kind,
    optionsSchema,
    create: (options, context, modelId) =>
      new RemoteEngine(modelId, createBackend(options, context, modelId), options, context),
  };
}
