import type { ImageOperation } from '../operations/image-operations.js';
import type { ProvenanceAction } from '../provenance/source-types.js';
import type { RawImage } from '../imaging/raw-image.js';
import type { Rendered } from '../imaging/rendered.js';
import type { Availability } from '../resources/availability.js';

/**
 * The engine interface: everything that turns images and a prompt into a new image implements it,
 * whether it runs here on the CPU (local-edit, segmentation) or forwards to a GPU server (comfyui, openai,
 * venice). The gateway decodes and validates inputs, reserves credit and waits for capacity before calling
 * `run`, so an engine only does pixel work (or its remote call) and honours `signal`. What does not
 * depend on the engine (background-removal options, output format and size) is done after it by the
 * request path's finishing step (src/jobs/finish-output.ts).
 *
 * A new kind is a folder `src/engines/<kind>/` with `index.ts` (the factory), `options.ts` (its zod
 * options) and `engine.ts` (this interface), listed once in `factories.ts`; see docs/architecture.md.
 *
 * @example
 * const result = await engine.run({
 *   operation: 'edit',
 *   images: [photo],
 *   prompt: 'make it black and white',
 *   options: {},
 *   signal: AbortSignal.timeout(60_000),
 * });
 * const png = await materialize(result); // or the finishing step encodes it
 */
export interface Engine {
  /** The engine kind, e.g. `local-edit`, `segmentation`, `comfyui`. */
  readonly kind: string;
  /** Whether the engine can take work now; an offline engine is listed with `offline: true` and answers 503. */
  status(): EngineStatus;
  run(request: EngineRequest): Promise<EngineResult>;
  /** Loads models and starts workers before the first request (called by `serve`); optional. */
  warmUp?(): Promise<void>;
  /** Frees what the engine owns (sockets, timers); shared resources are closed by their registry. Safe to call twice. */
  close(): Promise<void>;
  /** Extra, engine-specific facts published under `model_spec` in `GET /models` (e.g. local-edit's vocabulary). */
  describe?(): Record<string, unknown>;
  /**
   * Work the prompt asks for that another model's terms govern (local-edit: an upscale, which is the
   * upscale model's work), or null. Called before the reservation, so it must be cheap and decided by the
   * prompt and the inputs' sizes alone.
   */
  extraWork?(request: { prompt: string; images: ReadonlyArray<{ width: number; height: number }> }): ExtraWork | null;
  /**
   * Refuses (throws an ApiError, a 4xx) a request this engine could not finish in time, before any charge
   * or work: decided by the inputs' sizes and options alone, e.g. super-resolution's cost model.
   */
  admit?(request: AdmissionRequest): void;
}

/** What `admit` decides on: the job's inputs as read from their headers, not yet decoded. */
export interface AdmissionRequest {
  operation: EngineOperation;
  prompt: string;
  images: ReadonlyArray<{ width: number; height: number }>;
  options: EngineOptions;
}

/**
 * What a request owes another model: its price for the work, added to the charge, and its terms: the
 * request waits in that model's capacity queue (not this model's, so minutes of super-resolution do not
 * hold up quick edits) and has the longer of the two time limits.
 */
export interface ExtraWork {
  surchargeMicros: number;
  /** The model id whose capacity queue and time limit apply. */
  model: string;
}

/** Whether the engine can serve now (see `Availability`). */
export type EngineStatus = Availability;

/** The API's image operations (src/operations/image-operations.ts); an engine refuses those it does not do. */
export type EngineOperation = ImageOperation;

export interface EngineRequest {
  operation: EngineOperation;
  /** Decoded inputs, orientation applied. `edit` and `background-remove` carry one; `multi-edit` 1 to 3, base first. */
  images: RawImage[];
  /** The user's instruction; empty for background removal. */
  prompt: string;
  /** Requested output ratio (`auto`, `1:1`, ...) when the client sent one. */
  aspectRatio?: string;
  /** Validated extension fields of the route that engines read (e.g. `layer_roles`, `seed`). */
  options: EngineOptions;
  /** Facts about the answer an engine may report (an upstream's blur, its rewritten prompt). */
  notes?: EngineNotes;
  /** Aborted when the client disconnects or the request times out; engines stop work and reject. */
  signal: AbortSignal;
  /** Where an engine that works in countable steps reports them (tiles done, tiles in all), for the client. */
  progress?: (done: number, total: number) => void;
}

export interface EngineOptions {
  /** multi-edit: how each layer after the base is to be read, overriding automatic classification. */
  layerRoles?: Array<'mask' | 'overlay' | 'background' | 'auto'>;
  /** A seed for engines that sample (generative backends, PatchMatch's random init). */
  seed?: number;
  /** Venice's fields, for backends that take them (see ModelTraits for who honours what). */
  resolution?: '1K' | '2K' | '4K';
  quality?: 'low' | 'medium' | 'high';
  safeMode?: boolean;
  enhancePrompt?: boolean;
  disablePromptOptimizationThinking?: boolean;
  /** upscale: the factor asked for (the engine may reduce 4 to 2 to stay under the output limit). */
  scale?: 2 | 4;
  /** upscale: 0 (most faithful) to 0.02 (most generative texture); see src/engines/super-resolution. */
  creativity?: number;
}

/**
 * Filled in by an engine whose upstream reports these (Venice's `x-venice-is-blurred`, `x-venice-enhanced-prompt`),
 * or that has something to say about its answer.
 */
export interface EngineNotes {
  blurred?: boolean;
  enhancedPrompt?: string;
  /**
   * What an engine used in place of what the prompt named, or found by itself (local-edit: "salient subject
   * (no apple found)", "sky"), sent as `x-retouch-found` so the client knows what was edited.
   */
  found?: string[];
  /** Background removal: the share of the picture its matte keeps (0 to 1). */
  matteCoverage?: number;
  /** Something the client should know about a successful answer (a nearly empty matte), one sentence each. */
  warnings?: string[];
  /** What the engine did, step by step, for the answer's Content Credentials; unset: implied by its kind. */
  actions?: ProvenanceAction[];
}

/**
 * The engine's picture: finished pixels, or a sharp pipeline still to be written out. Background removal
 * answers an RGBA cutout (colour channels the input's, alpha the matte); the finishing step derives
 * `only_mask` and `bg_color` from it and encodes every result.
 */
export type EngineResult = Rendered;
