import { applyCoefficients, colourGuide, guidedCoefficients } from '../../imaging/guided-filter.js';
import type { Activation } from '../../config/segmentation-models.js';
import { resizePlane, type PixelsView } from './preprocess.js';

/**
 * From the model's square prediction to the photo's full-resolution matte.
 *
 * - Photos no larger than GRID_MAX_SIDE: the model (1024 x 1024) already saw them at or above their own
 *   resolution, so the prediction is resampled bilinearly and nothing else. Every smoothing refinement we
 *   measured here only lost thin structures (rocket.jpg's lattice towers: IoU vs the reference 0.983 plain,
 *   0.913 with the mildest guided filter, 0.76 with eps 1e-2; bench/bg/NOTES.md#choices-measured-outside-the-bench).
 * - Larger photos: fast guided upsampling. The prediction is resampled to a grid of at most GRID_MAX_SIDE
 *   (a sharp downscale of the photo made by the caller), the guided filter's coefficients are computed
 *   there, and applied at full resolution with the full-resolution photo as guide. The matte's edges then
 *   follow the photo's edges instead of showing the blocky halo of a 3x or 6x plain upscale, and the cost
 *   of the 13 box filters stays bounded on 33 MP inputs.
 */

/** Longest side of the grid the guided filter's coefficients are computed on. */
const GRID_MAX_SIDE = 1024;

/**
 * Filter settings: the smallest window (2 grid pixels, 2 * upscale factor at full resolution) and a small
 * eps, the least destructive of the settings measured (r 2/4/8 x eps 1e-4/1e-3/1e-2), still enough for the
 * coefficients to carry the photo's edges into the upscaled matte.
 */
const GUIDED_EPS = 1e-4;
function guidedRadius(gridWidth: number, gridHeight: number): number {
  return Math.max(2, Math.round(Math.max(gridWidth, gridHeight) / 512));
}

/** The grid size for a photo: itself when small enough, else scaled to GRID_MAX_SIDE on its long side. */
export function gridSize(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(1, GRID_MAX_SIDE / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** Turns the model's raw output into probabilities in 0..1, in place. */
export function activate(values: Float32Array, activation: Activation): Float32Array {
  if (activation === 'sigmoid') {
    for (let i = 0; i < values.length; i++) values[i] = 1 / (1 + Math.exp(-values[i]));
  } else if (activation === 'minmax') {
    let lo = Infinity,
      hi = -Infinity;
    for (const v of values) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const range = hi - lo || 1;
    for (let i = 0; i < values.length; i++) values[i] = (values[i] - lo) / range;
  }
  return values;
}

/**
 * @param prediction the activated model output, `side` x `side`
 * @param grid the guide pixels at gridSize(full.width, full.height) (may be `full` itself)
 * @param full the photo at full resolution
 * @returns one byte per pixel of `full`, 255 = foreground
 */
export function refineMatte(prediction: Float32Array, side: number, grid: PixelsView, full: PixelsView): Uint8Array {
  const coarse = resizePlane(prediction, side, side, grid.width, grid.height);
  if (grid.width === full.width && grid.height === full.height) return toBytes(coarse);
  const guide = colourGuide(grid.data, grid.width, grid.height, grid.channels);
  const coefficients = guidedCoefficients(guide, coarse, guidedRadius(grid.width, grid.height), GUIDED_EPS);
  return applyCoefficients(coefficients, full);
}

function toBytes(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = v <= 0 ? 0 : v >= 1 ? 255 : Math.round(v * 255);
  }
  return out;
}
