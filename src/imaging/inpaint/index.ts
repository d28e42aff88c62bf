import { ApiError } from '../../errors.js';
import type { RawImage } from '../raw-image.js';
import type { PixelWork } from '../worker-pool.js';
import { BlocksUnsuitable } from './quilt.js';
import { type InpaintSettings, settingsForPicture } from './settings.js';
import { sharedUint8 } from './shared-level.js';
import { solveInpaint } from './solver.js';
import type { StructureReport } from './structure.js';
import { contextWindows, cutWindow, pasteWindow, refuseImplausibleHole, type Window } from './crop.js';

export { BlocksUnsuitable } from './quilt.js';

export interface InpaintOptions extends PixelWork {
  /** Seeds PatchMatch's random choices; the same image, hole and seed always give the same pixels. */
  seed?: number;
  /** Overrides of the tuned defaults (benchmarks and experiments). */
  settings?: Partial<InpaintSettings>;
  /**
   * 'patchmatch' (the default): multi-scale PatchMatch completion, the closest to the missing pixels on
   * average. 'blocks': whole blocks of real pixels (quilt.ts), for stochastic texture that PatchMatch's
   * averaging smooths into a smear.
   */
  method?: 'patchmatch' | 'blocks';
  /** 'crop' (the default): fill a window around the hole; 'whole': the whole image (for comparison). */
  window?: 'crop' | 'whole';
  /** Told what the structure step found in each window (benchmarks, tests). */
  onStructure?: (report: StructureReport) => void;
  /**
   * One byte per pixel of the image, set to 255 where the structure step filled the hole (copies of real
   * pixels along a line or a period); the fill's self-check judges the rest, what PatchMatch invented.
   */
  structureMask?: Uint8Array;
}

/**
 * Fills the pixels where hole[i] > 127 (one byte per pixel, same size as image) with texture copied from
 * the rest of the image: multi-scale PatchMatch completion (Barnes et al. 2009, Wexler et al. 2007), run
 * in the given imaging worker pool (aborting `signal` stops the work and rejects with its reason), on a
 * window around each group of holes (crop.ts). Pixels outside the hole are returned bit-identical. Holes
 * too large to fill plausibly are refused (400). With alpha, the
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
  const isWhole = (w: Window) => w.width === width && w.height === height;
  let windows = contextWindows(hole, width, height);
  if (windows.length === 0) return { ...image, data: Buffer.from(image.data) };
  if (options.window === 'whole') windows = [{ left: 0, top: 0, width, height }];
  // Only windows around the holes are filled (crop.ts); outside them nothing changes, so each is pasted back.
  const holes = windows.map((w) => (isWhole(w) ? hole : cutWindow(hole, width, 1, w)));
  for (const [k, w] of windows.entries()) refuseImplausibleHole(holes[k], w, width * height, Math.min(width, height));
  const settings = settingsForPicture(width * height, options.settings);
  const out = Buffer.from(image.data);
  for (const [k, w] of windows.entries()) {
    // Shared copies: every worker reads them in place, and the caller's buffers stay untouched.
    const size = w.width * w.height;
    const shared = {
      width: w.width,
      height: w.height,
      channels,
      data: sharedUint8(size * channels),
      hole: sharedUint8(size),
      noSource: settings.structureFirst ? sharedUint8(size) : undefined,
    };
    shared.data.set(isWhole(w) ? image.data : cutWindow(image.data, width, channels, w));
    shared.hole.set(holes[k]);
    if (settings.structureFirst) {
      // Lines and patterns running through the hole are carried across first; PatchMatch fills the rest.
      const report = await options.pool.run('inpaintStructure', { image: shared }, { signal: options.signal });
      options.onStructure?.(report);
      if (options.method === 'blocks' && report.uncarried > 0)
        throw new BlocksUnsuitable('a straight edge crosses the area that could not be carried across');
      if (options.structureMask) markStructure(options.structureMask, width, w, holes[k], shared.hole);
      if (!hasHole(shared.hole)) {
        pasteWindow(out, width, channels, w, shared.data);
        continue;
      }
    }
    if (options.method === 'blocks') {
      if (!settings.structureFirst) throw new BlocksUnsuitable('blocks are only copied after the structure step');
      const quilt = await options.pool.run(
        'inpaintQuilt',
        { image: shared, seed: options.seed ?? 0 },
        { signal: options.signal },
      );
      if (quilt.unsuitable) throw new BlocksUnsuitable(quilt.unsuitable);
      // Only a hole with no clean source block near it is left; PatchMatch finishes it.
      if (!hasHole(shared.hole)) {
        pasteWindow(out, width, channels, w, shared.data);
        continue;
      }
    }
    const filled = await solveInpaint(options.pool, shared, options.seed ?? 0, settings, options.signal);
    pasteWindow(out, width, channels, w, filled);
  }
  return { width, height, channels, data: out };
}

function hasHole(hole: Uint8Array): boolean {
  for (const v of hole) if (v > 127) return true;
  return false;
}

/** Marks, in image coordinates, the window's hole pixels that the structure step filled. */
function markStructure(mask: Uint8Array, width: number, w: Window, before: Uint8Array, after: Uint8Array): void {
  for (let y = 0; y < w.height; y++) {
    for (let x = 0; x < w.width; x++) {
      const i = y * w.width + x;
      if (before[i] > 127 && after[i] <= 127) mask[(w.top + y) * width + w.left + x] = 255;
    }
  }
}
