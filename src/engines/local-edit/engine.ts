import { ApiError } from '../../errors.js';
import { IMAGING_POOL } from '../../resources/imaging-pool.js';
import { DETECTORS } from '../../resources/detectors/index.js';
import { defaultSegmenterResource } from '../../resources/segmenter/index.js';
import type { EngineContext } from '../context.js';
import type { Engine, EngineRequest, EngineResult, EngineStatus } from '../engine.js';
import { DetectorThingFinder } from './detector-thing-finder.js';
import { executePlan } from './executor.js';
import type { LocalEditOptions } from './options.js';
import { parsePrompt } from './parser.js';
import { resolvePlan } from './resolve-plan.js';
import { describeVocabulary } from './vocabulary.js';

/**
 * The local-edit engine: prompt-driven edits on the CPU with no model download. It parses the prompt into
 * an edit plan (see vocabulary.ts), binds it to the request's layers, and carries it out with sharp and
 * the imaging worker pool; subject and background steps use the shared segmentation model.
 *
 * @example
 * const engine = localEditEngineFactory.create({ maxSteps: 12 }, context, 'local-edit');
 * const result = await engine.run({ operation: 'edit', images: [photo], prompt: 'make it sepia',
 *   options: {}, signal: AbortSignal.timeout(60_000) });
 */
export class LocalEditEngine implements Engine {
  readonly kind = 'local-edit';

  /** Finds named things ("the spoon", "all faces") with the shared detectors, loaded on first use. */
  private readonly finder: DetectorThingFinder;

  constructor(
    private readonly options: LocalEditOptions,
    private readonly context: EngineContext,
  ) {
    const { resources, config } = context;
    this.finder = new DetectorThingFinder(
      () => resources.get(DETECTORS),
      () => resources.get(defaultSegmenterResource(config)),
    );
  }

  status(): EngineStatus {
    return { online: true };
  }

  async run(request: EngineRequest): Promise<EngineResult> {
    request.signal.throwIfAborted();
    if (request.operation === 'background-remove') {
      throw new ApiError('INVALID_PARAMETERS', 'The local-edit model edits images; use the background removal model instead.');
    }
    const plan = parsePrompt(request.prompt, { generativeModels: generativeModels(this.context) });
    if (plan.steps.length > this.options.maxSteps) {
      throw new ApiError(
        'UNSUPPORTED_INSTRUCTION',
        `The prompt holds ${plan.steps.length} instructions; the local-edit model carries out at most ${this.options.maxSteps} per request.`,
      );
    }
    const { resources, config } = this.context;
    const pool = resources.get(IMAGING_POOL);
    const finder = this.finder;
    const resolved = await resolvePlan(plan, request, pool, finder);
    return executePlan(request.images[0], resolved, {
      segmenter: () => resources.get(defaultSegmenterResource(config)),
      pool,
      finder,
      signal: request.signal,
      seed: request.options.seed,
      aspectRatio: request.aspectRatio,
    });
  }

  describe(): Record<string, unknown> {
    // can_find: the nouns that named-thing prompts find without a mask (README, 'Named things without a mask').
    return { ...describeVocabulary(), can_find: this.finder.vocabulary() };
  }

  /** Everything it uses is a shared resource, closed by the registry. */
  async close(): Promise<void> {}
}

/** Engine kinds that generate content (a remote model behind them), for "needs a generative model" refusals. */
const GENERATIVE_ENGINES = new Set(['venice', 'comfyui', 'openai']);

/** The generative models online now (none when the server cannot say). */
function generativeModels(context: EngineContext): string[] {
  return (context.onlineModels?.() ?? []).filter((m) => GENERATIVE_ENGINES.has(m.engine)).map((m) => m.id);
}
