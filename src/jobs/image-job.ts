import type { EngineOperation, EngineOptions } from '../engines/engine.js';
import type { ModelEntry } from '../engines/model-entry.js';
import type { UploadedFile } from '../inputs/uploaded-file.js';
import type { FinishOptions } from './finish-output.js';
import type { RequestedFields } from './model-fields.js';

/**
 * An image job: one API request for a picture, as every entry point (the Venice routes, the OpenAI route)
 * hands it to `runImageJob` after validating its body. "Job" means this, and only this, in the codebase.
 */
export interface ImageJob {
  operation: EngineOperation;
  model: ModelEntry;
  prompt: string;
  images: ImageSource[];
  /** Whether string inputs may be URLs the server fetches. */
  allowUrl: boolean;
  aspectRatio?: string;
  /** What the engine reads (seed, layer roles). */
  options: EngineOptions;
  /**
   * The price when it depends on the inputs' sizes (upscale: the scale applied), known from their
   * headers before anything is reserved; default the model's price. May throw an ApiError to refuse the
   * inputs before any charge.
   */
  priceMicros?: (images: Array<{ width: number; height: number }>) => number;
  /** What the finishing step does after any engine (background-removal options); format and size come from `fields`. */
  finish: FinishOptions;
  /** Venice's per-request fields (output_format, resolution, quality, safe_mode, ...), checked against the model. */
  fields?: RequestedFields;
  /** Added to the model's price: work beyond the model's (OpenAI's background removal), in micro-dollars. */
  surchargeMicros?: number;
  /** Refuses the decoded inputs before any charge (a route's own size rules). */
  checkInputs?: (images: Array<{ width: number; height: number }>) => void;
  /** Hash of the request body, to recognise idempotent repeats. */
  bodyHash: string;
}

/** One image from the request: a string (base64, data URI, URL) or an uploaded file, with its field name. */
export interface ImageSource {
  field: string;
  value: string | UploadedFile;
}

/** What a successful job answers; also what an idempotent repeat replays. Entry points render it. */
export interface JobResult {
  body: Buffer;
  contentType: string;
  width: number;
  height: number;
  chargedMicros: number;
  /** The key's balance after the charge. */
  balanceMicros: number;
  replayed: boolean;
  /** Safe mode blurred the picture (here or upstream). */
  blurred?: boolean;
  /** The prompt an upstream rewrote when `enhance_prompt` was honoured. */
  enhancedPrompt?: string;
  /** How the picture was enlarged to OpenAI's `size`, when it was smaller (see FinishedImage). */
  enlargedWith?: 'lanczos3' | 'super-resolution';
  /** What the engine used for what the prompt named (EngineNotes.found); not kept for idempotent replays. */
  found?: string[];
  /** What provenance the picture carries (`x-retouch-provenance`: `c2pa, xmp`). */
  provenance?: string;
  /**
   * Background removal: the share of the picture the matte keeps. Not stored for idempotent replays, so a
   * replay answers without it (and without `warnings`).
   */
  matteCoverage?: number;
  /** Sentences about a successful answer the client should read (a nearly empty or nearly full matte). */
  warnings?: string[];
}
