import { ApiError } from '../../errors.js';
import { IMAGING_POOL } from '../../resources/imaging-pool.js';
import { DETECTORS } from '../../resources/detectors/index.js';
import { defaultSegmenterResource } from '../../resources/segmenter/index.js';
import type { EngineContext } from '../context.js';
import type { AdmissionRequest, Engine, EngineRequest, EngineResult, EngineStatus, ExtraWork } from '../engine.js';
import { FinderChain } from './tools/finder-chain.js';
import { StuffRegions } from './tools/stuff-regions.js';
import { TornCornerFinder } from './tools/torn-corner-finder.js';
import { executePlan } from './run/executor.js';
import type { LocalEditOptions } from './options.js';
import { parsePrompt } from './prompt/parser.js';
import { resolvePlan } from './resolve/resolve-plan.js';
import type { UpscaleScale } from '../../resources/super-resolution/upscale-scale.js';
import { chargedScale, upscaleFactor } from './resolve/crop-and-upscale-checks.js';
import { serverUpscaleStep, type UpscaleStep } from './tools/upscale-step.js';
import { describeVocabulary } from './vocabulary/table.js';
import { planActions } from './run/provenance-actions.js';

/**
 * The local-edit engine: prompt-driven edits on the CPU with no model download. It parses the prompt into
 * an edit plan (see vocabulary/table.ts), binds it to the request's layers, and carries it out with sharp and
 * the imaging worker pool; subject and background steps use the shared segmentation model, and an upscale
 * the shared super-resolution networks (tools/upscale-step.ts).
 *
 * @example
 * const engine = localEditEngineFactory.create({ maxSteps: 12 }, context, 'local-edit');
 * const result = await engine.run({ operation: 'edit', images: [photo], prompt: 'make it sepia',
 *   options: {}, signal: AbortSignal.timeout(60_000) });
 */
export class LocalEditEngine implements Engine {
  readonly kind = 'local-edit';

  /** Finds named things ("the spoon", "all faces") with the shared detectors, loaded on first use. */
  private readonly finder: TornCornerFinder;
  /** "Upscale it 2x": the super-resolution networks of the server's upscale model, started on first use. */
  private readonly upscaler: UpscaleStep;

  constructor(
    private readonly options: LocalEditOptions,
    private readonly context: EngineContext,
  ) {
    const { resources, config } = context;
    // A torn corner by its flat cut; then parts of faces, stuff (sky, grass, water, ...) by colour and texture,
    // things by the detectors, and the main subject by name (tools/finder-chain.ts).
    this.finder = new TornCornerFinder(
      new FinderChain(
        () => resources.get(DETECTORS),
        () => resources.get(defaultSegmenterResource(config)),
        new StuffRegions(() => resources.get(IMAGING_POOL)),
      ),
      () => resources.get(IMAGING_POOL),
    );
    this.upscaler = serverUpscaleStep(context);
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
    const upscaler = this.upscaler;
    const resolved = await resolvePlan(plan, request, pool, finder, upscaler);
    // For the answer's Content Credentials: what is about to be done, step by step.
    if (request.notes) request.notes.actions = planActions(resolved, config.upscaleModel, request.aspectRatio);
    const found: string[] = [];
    const result = await executePlan(request.images[0], resolved, {
      segmenter: () => resources.get(defaultSegmenterResource(config)),
      pool,
      finder,
      upscaler,
      signal: request.signal,
      seed: request.options.seed,
      aspectRatio: request.aspectRatio,
      found,
    });
    // What was found for the things the prompt named, for the x-retouch-found header.
    if (found.length > 0 && request.notes) request.notes.found = found;
    return result;
  }

  /**
   * An upscale in the prompt is the upscale model's work: charged on top of the edit at that model's price
   * for its scale (chargedScale), as /image/upscale would charge, and run under that model's capacity and
   * time limit. A prompt that will be refused owes nothing (a refusal is never charged anyway).
   */
  extraWork({ prompt, images }: { prompt: string; images: ReadonlyArray<{ width: number; height: number }> }): ExtraWork | null {
    let factor: UpscaleScale | null;
    try {
      factor = upscaleFactor(parsePrompt(prompt, { generativeModels: generativeModels(this.context) }).steps);
    } catch {
      return null;
    }
    // Asked last: it starts the super-resolution resource, which only upscales should pay for.
    if (factor === null || images.length === 0 || this.upscaler.unavailable() !== null) return null;
    return {
      surchargeMicros: this.upscaler.priceMicros(chargedScale(this.upscaler, images[0], factor)),
      model: this.context.config.upscaleModel,
    };
  }

  /**
   * An upscale in the prompt that the cost model says would pass the time limit is refused before any
   * charge, as /image/upscale refuses it (judged on the input's size; other steps only shrink it).
   */
  admit({ prompt, images }: AdmissionRequest): void {
    let factor: UpscaleScale | null;
    try {
      factor = upscaleFactor(parsePrompt(prompt, { generativeModels: generativeModels(this.context) }).steps);
    } catch {
      return;
    }
    const image = images[0];
    if (factor === null || !image || this.upscaler.unavailable() !== null) return;
    this.upscaler.admit(image.width, image.height, factor);
  }

  describe(): Record<string, unknown> {
    // can_find: the nouns that named-thing prompts find without a mask (docs/local-edit.md, 'Named things without a mask').
    // upscale: what "upscale it 2x" runs, or why it is refused here (docs/local-edit.md).
    const unavailable = this.upscaler.unavailable();
    return {
      ...describeVocabulary(),
      can_find: this.finder.vocabulary(),
      upscale: unavailable
        ? { available: false, reason: unavailable, instead: 'POST /api/v1/image/upscale' }
        : { available: true, ...this.upscaler.describe(), runs: 'last, after every other step', speed: UPSCALE_SPEED },
    };
  }

  /** Everything it uses is a shared resource, closed by the registry. */
  async close(): Promise<void> {}
}

/** For GET /models: an upscale is neural network work on the CPU, far slower than the other steps. */
const UPSCALE_SPEED =
  'slow on a CPU: about 5 s per input megapixel at 2x and 80 s at 4x on two busy cores (int8 networks; ' +
  'bench/upscale/NOTES.md#the-admission-cost-model); an upscale estimated past 120 s is refused with 413';

/** The models online now that can invent content and serve edits (none when the server cannot say), for "needs a generative model" refusals. */
function generativeModels(context: EngineContext): string[] {
  const online = context.onlineModels?.() ?? [];
  return online.filter((m) => m.traits.newContent && m.traits.operations.includes('edit')).map((m) => m.id);
}
