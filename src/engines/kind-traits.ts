import type { EngineOperation } from './engine.js';

/**
 * What an engine kind is, as its factory declares it (`EngineFactory.traits`). Generic code reads these
 * facts and never names a kind: the model registry derives each model's defaults from them (resolution
 * tiers, how `safe_mode` is kept, which Venice fields go upstream), the default edit model is the first
 * one whose kind serves edits, and local-edit points at the models that can invent content. The
 * conformance suite (test/engines/conformance.ts) checks that each kind does what it declares.
 *
 * @example
 * traits: {
 *   runs: 'local',
 *   operations: ['background-remove'],
 *   newContent: false,
 *   keepsInputSize: true,
 *   upstreamFields: [],
 * }
 */
export interface KindTraits {
  /**
   * `local`: the work runs in this process and its worker threads and makes no network call; `remote`:
   * it is forwarded to an upstream server (which may be down, so such models are listed offline then).
   */
  runs: 'local' | 'remote';
  /** The operations its engines serve; any other is refused with a 400 before any work. */
  operations: ReadonlyArray<EngineOperation>;
  /**
   * Whether the output may hold content the inputs did not (a generative model). When it may, safe mode
   * is kept by the upstream (`upstreamFields` has `safe_mode`) or by this server's NSFW classifier on
   * the output; when it may not, there is nothing new to classify and the classifier is not run.
   */
  newContent: boolean;
  /**
   * Whether the output has the input's size, not a size of the model's own (unless the request asks
   * for a crop to an aspect ratio, or another model's enlargement, as local-edit's "upscale it 2x").
   * Such a model answers at every resolution tier (the finishing step shrinks to the one asked for) and
   * keeps the input's size when none is asked; any other answers at 1K unless its config lists more.
   */
  keepsInputSize: boolean;
  /**
   * Venice's generative fields the upstream takes itself: `resolution` (it generates at the tier, so
   * no enlargement check or fitting here), `safe_mode` (it blurs), `enhance_prompt` (it rewrites the
   * prompt), `disable_prompt_optimization_thinking`. A field not listed is kept here or refused with a
   * 400 (src/jobs/model-fields.ts), never silently dropped.
   */
  upstreamFields: ReadonlyArray<UpstreamField>;
}

export type UpstreamField = 'resolution' | 'safe_mode' | 'enhance_prompt' | 'disable_prompt_optimization_thinking';
