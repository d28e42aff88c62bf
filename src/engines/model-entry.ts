import type { Engine } from './engine.js';

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
