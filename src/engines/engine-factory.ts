import type { z } from 'zod';
import type { EngineContext } from './context.js';
import type { Engine, EngineStatus } from './engine.js';
import type { KindTraits } from './kind-traits.js';

/**
 * An engine kind that can be named in the config (`"engine": "openai"`). Each kind's `index.ts` exports
 * one, named `<kind in camelCase>EngineFactory`. Its `optionsSchema` (the kind's `options.ts`) validates
 * the model's `options` block at start, so a typo in a workflow path is found before the first request.
 * Its `traits` say what the kind is (kind-traits.ts); generic code reads them instead of naming kinds.
 *
 * @example
 * export const openAiEngineFactory: EngineFactory<OpenAiOptions> = {
 *   kind: 'openai',
 *   traits: { runs: 'remote', operations: ['edit', 'multi-edit'], newContent: true, keepsInputSize: false, upstreamFields: [] },
 *   optionsSchema: openAiOptionsSchema,
 *   create: (options, context, modelId) => new OpenAiEngine(modelId, options, context),
 * };
 */
export interface EngineFactory<Options = unknown> {
  kind: string;
  traits: KindTraits;
  optionsSchema: z.ZodType<Options>;
  create(options: Options, context: EngineContext, modelId: string): Engine;
}

/**
 * A model whose engine cannot run on this server (an unknown segmentation model, a missing file). It is
 * honest about it: listed offline with the reason, and every request for it is refused before any work.
 */
export class UnavailableEngine implements Engine {
  constructor(
    readonly kind: string,
    private readonly reason: string,
  ) {}
  status(): EngineStatus {
    return { online: false, reason: this.reason, unserved: true };
  }
  run(): Promise<never> {
    return Promise.reject(new Error(`engine ${this.kind} is unavailable: ${this.reason}`));
  }
  async close(): Promise<void> {}
}
