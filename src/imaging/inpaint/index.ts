import { ApiError } from '../../errors.js';
import type { RawImage } from '../raw-image.js';
import type { PixelWork } from '../worker-pool.js';
import type { InpaintSettings } from './settings.js';
import { sharedUint8 } from './shared-level.js';
import { solveInpaint } from './solver.js';

export interface InpaintOptions extends PixelWork {
  /** Seeds PatchMatch's random choices; the same image, hole and seed always give the same pixels. */
  seed?: number;
  /** Overrides of the tuned defaults (benchmarks and experiments). */
  settings?: Partial<InpaintSettings>;
}

/**
 * Fills the pixels where hole[i] > 127 (one byte per pixel, same size as image) with texture copied from
 * the rest of the image: multi-scale PatchMatch completion (Barnes et al. 2009, Wexler et al. 2007), run
 * in the given imaging worker pool (aborting `signal` stops the work and rejects with its reason). Pixels outside the hole are returned bit-identical. With alpha, the
 * hole becomes opaque if the known image is; otherwise alpha is completed like the colours.
 *
 * Throws ApiError INVALID_IMAGE when the hole is the wrong size or leaves nothing to copy from.
 *
 * @example
 * const erased = await inpaint(photo, maskBytes, { pool, seed: 7, signal: request.signal });
 */
export async function inpaint(image: RawImage, hole: Uint8Array, options: InpaintOptions): Promise<RawImage> {
  const { width, height, channels } = image;
  if (hole.length !== width * height) {
    throw new ApiError('INVALID_IMAGE', `The mask must have one value per image pixel (${width}x${height}).`);
  }
  options.signal?.throwIfAborted();
  if (!hasHole(hole)) return { ...image, data: Buffer.from(image.data) };
  // Shared copies: every worker reads them in place, and the caller's buffers stay untouched.
  const shared = { width, height, channels, data: sharedUint8(image.data.length), hole: sharedUint8(hole.length) };
  shared.data.set(image.data);
  shared.hole.set(hole);
  const filled = await solveInpaint(options.pool, shared, options.seed ?? 0, options.settings, options.signal);
  return { width, height, channels, data: Buffer.from(filled.buffer, filled.byteOffset, filled.byteLength) };
}

function hasHole(hole: Uint8Array): boolean {
  for (let i = 0; i < hole.length; i++) if (hole[i] > 127) return true;
  return false;
}
