import type { RawImage } from '../imaging/raw-image.js';

/**
 * The engine interface: everything that turns images and a prompt into a new image implements it,
 * whether it runs here on the CPU (local-edit, segmentation) or forwards to a GPU server (comfyui, openai,
 * venice). The gateway decodes and validates inputs, reserves credit and waits for capacity before calling
 * `run`, so an engine only does pixel work (or its remote call) and honours `signal`.
 *
 * @example
 * const result = await engine.run({
 *   operation: 'edit',
 *   images: [photo],
 *   prompt: 'make it black and white',
 *   options: {},
 *   signal: AbortSignal.timeout(60_000),
 * });
 * reply.type('image/png').send(result.png);
 */
export interface Engine {
  /** The engine kind, e.g. `local-edit`, `segmentation`, `comfyui`. */
  readonly kind: string;
  /** Whether the engine can take work now; an offline engine is listed with `offline: true` and answers 503. */
  status(): EngineStatus;
  run(request: EngineRequest): Promise<EngineResult>;
  /** Frees worker threads, sessions and sockets. Called once when the server stops. */
  close(): Promise<void>;
  /** Extra, engine-specific facts published under `model_spec` in `GET /models` (e.g. local-edit's vocabulary). */
  describe?(): Record<string, unknown>;
}

export type EngineStatus = { online: true } | { online: false; reason: string };

export type EngineOperation = 'edit' | 'multi-edit' | 'background-remove' | 'upscale';

export interface EngineRequest {
  operation: EngineOperation;
  /** Decoded inputs, orientation applied. `edit` and `background-remove` carry one; `multi-edit` 1 to 3, base first. */
  images: RawImage[];
  /** The user's instruction; empty for background removal. */
  prompt: string;
  /** Requested output ratio (`auto`, `1:1`, ...) when the client sent one. */
  aspectRatio?: string;
  /** Validated extension fields of the route (e.g. `only_mask`, `bg_color`, `layer_roles`). */
  options: EngineOptions;
  /** Aborted when the client disconnects or the request times out; engines stop work and reject. */
  signal: AbortSignal;
}

export interface EngineOptions {
  /** background-remove: return the alpha matte as a grey PNG instead of the cutout. */
  onlyMask?: boolean;
  /** background-remove: composite the cutout onto this colour (CSS hex or name) instead of transparency. */
  bgColor?: string;
  /** multi-edit: how each layer after the base is to be read, overriding automatic classification. */
  layerRoles?: Array<'mask' | 'overlay' | 'background' | 'auto'>;
  /** A seed for engines that sample (generative backends, PatchMatch's random init). */
  seed?: number;
  /** upscale: the factor asked for (the engine may reduce 4 to 2 to stay under the output limit). */
  scale?: 2 | 4;
  /** upscale: 0 (most faithful) to 0.02 (most generative texture); see src/engines/super-resolution. */
  creativity?: number;
}

export interface EngineResult {
  /** The encoded PNG returned to the client as is. */
  png: Buffer;
  width: number;
  height: number;
}

/** A model id as the API sees it, bound to the engine that serves it, its price and its constraints. */
export interface ModelEntry {
  id: string;
  /** `inpaint` for edit models (Venice's type for them), `background-removal` for cutout models, `upscale`. */
  type: 'inpaint' | 'background-removal' | 'upscale';
  displayName: string;
  engine: Engine;
  /** Price of one successful call, in integer micro-dollars. */
  priceMicros: number;
  /** Upscale models: the price at each effective scale, in integer micro-dollars (Venice: 2x and 4x). */
  upscalePriceMicros?: { 2: number; 4: number };
  constraints: ModelConstraints;
  beta: boolean;
  /** Content-policy categories enforced for this model (see src/policy). */
  blockedCategories: string[];
  capacity: { maxConcurrent: number; maxQueue: number; queueTimeoutMs: number };
  /** Time allowed for one engine run before it is aborted. */
  timeoutMs: number;
}

export interface ModelConstraints {
  aspectRatios: string[];
  promptCharacterLimit: number;
  combineImages: boolean;
}
