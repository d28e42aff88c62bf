import { ApiError } from '../errors.js';
import type { RawImage } from './raw-image.js';
import type { Pass } from './rendered.js';

/**
 * Filters whose cost or validity depends on a size the prompt chooses, bounded by the picture itself.
 * A Gaussian blur costs time in proportion to its sigma: "blur by 1000px" done directly is about 44 s of
 * CPU per megapixel, and libvips cannot be interrupted once it runs. A sigma beyond the picture's longer
 * side gives the same flat result as that side, and a large blur has no fine detail left, so it is done
 * on a reduced copy and enlarged back: the cost stays that of a small blur whatever the sigma.
 */

/** Sigmas up to this are blurred directly; larger ones on a copy reduced so the sigma becomes this. */
const DIRECT_SIGMA = 8;

/**
 * The passes of a Gaussian blur of `sigma` pixels on `image`, with the sigma clamped to [0.5, longer side].
 *
 * @example const passes = blurPasses(photo, 1000); // a 7000x4700 photo is blurred at 1/125 scale
 */
export function blurPasses(image: RawImage, sigma: number): Pass[] {
  const { width, height } = image;
  const bounded = Math.min(Math.max(width, height), Math.max(0.5, sigma));
  if (bounded <= DIRECT_SIGMA) return [{ sharp: (s) => s.blur(bounded) }];
  const scale = DIRECT_SIGMA / bounded;
  const small = { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
  // Each side's effective scale may differ slightly after rounding; the blur is isotropic at the mean one.
  const sigmaSmall = Math.max(0.5, bounded * Math.sqrt((small.width / width) * (small.height / height)));
  return [
    { sharp: (s) => s.resize(small.width, small.height, { fit: 'fill', kernel: 'linear' }).blur(sigmaSmall) },
    { sharp: (s) => s.resize(width, height, { fit: 'fill', kernel: 'cubic' }) },
  ];
}

/**
 * The median window for a denoise of `wanted` (3 or 5) pixels: no wider than the picture's shorter side.
 * A picture 1 or 2 pixels thin has no 3x3 neighbourhood to take a median over, so it is refused.
 */
export function medianWindow(image: RawImage, wanted: number): number {
  const shorter = Math.min(image.width, image.height);
  if (shorter < 3) {
    throw new ApiError(
      'INVALID_IMAGE',
      `Denoising needs a picture at least 3 pixels wide and high; this one is ${image.width}x${image.height}`,
    );
  }
  const largestOdd = shorter % 2 === 1 ? shorter : shorter - 1;
  return Math.min(wanted, largestOdd);
}
