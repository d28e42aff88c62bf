/**
 * Venice's `creativity` (0 to 0.02, default 0.01) mapped honestly onto what this engine can do: two
 * networks, one faithful (trained to reconstruct, highest SSIM/PSNR against the true photo) and one
 * generative (Real-ESRGAN, trained on degraded photos, paints crisp texture that may not be in the photo).
 * The output is a per-pixel mix of the two: `mix = creativity / 0.02` is the generative network's share.
 * At 0 only the faithful network runs; at 0.02 only the generative one; in between both run on every tile
 * and their outputs are blended (the default 0.01 is an even mix).
 */
export const CREATIVITY_MAX = 0.02;
export const DEFAULT_CREATIVITY = 0.01;

/** The generative network's share of the output, 0..1. */
export function creativityMix(creativity: number): number {
  return Math.min(1, Math.max(0, creativity / CREATIVITY_MAX));
}
