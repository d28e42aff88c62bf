import type { PriceList } from '../accounts/pricing.js';
import type { ModelType } from '../operations/image-operations.js';
import type { Engine } from './engine.js';
import type { KindTraits } from './kind-traits.js';
import type { ModelTraits } from './model-traits.js';

/** A model id as the API sees it, bound to the engine that serves it, its price and its constraints. */
export interface ModelEntry {
  id: string;
  /** Which operations it serves (`inpaint` for edit models, Venice's type for them); see MODEL_TYPES. */
  type: ModelType;
  displayName: string;
  engine: Engine;
  /** What its engine kind declares it is (where it runs, what it serves, whether it invents content). */
  kindTraits: KindTraits;
  /** Base price of one successful call, in integer micro-dollars (Venice's `pricing.inpaint`). */
  priceMicros: number;
  /** Every price that applies (tiers, qualities, extra input images); see src/accounts/pricing.ts. */
  prices: PriceList;
  /** Resolutions, qualities, safe mode and the other fields the model honours. */
  traits: ModelTraits;
  /** Set on an alias: the configured id it is another name of (same engine, queue and traits). */
  aliasOf?: string;
  /** Upscale models: the price at each effective scale, in integer micro-dollars (Venice: 2x and 4x). */
  upscalePriceMicros?: { 2: number; 4: number };
  constraints: ModelConstraints;
  beta: boolean;
  /** Content-policy categories enforced for this model (see src/policy). */
  blockedCategories: string[];
  capacity: { maxConcurrent: number; maxQueue: number; queueTimeoutMs: number };
  /** Time allowed for one engine run before it is aborted. */
  timeoutMs: number;
  /** How an answer is enlarged to an exact size larger than the photo (OpenAI's `size`). */
  enlargeWith?: 'lanczos3' | 'super-resolution';
}

export interface ModelConstraints {
  aspectRatios: string[];
  promptCharacterLimit: number;
  combineImages: boolean;
}
