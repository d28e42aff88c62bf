import { ApiError } from '../../errors.js';

/**
 * Venice's output limit for /image/upscale: the enlarged image may have at most 16,777,216 pixels
 * (4096 x 4096). A 4x request whose output would pass it is served at 2x instead (and charged as 2x);
 * an image too large even for 2x is refused before any charge. The route prices with this rule and the
 * engines enlarge with it, so the charge always matches the returned size.
 */
export const MAX_UPSCALE_OUTPUT_PIXELS = 16_777_216;

/** The scales the API accepts. */
export const UPSCALE_SCALES = [2, 4] as const;
export type UpscaleScale = (typeof UPSCALE_SCALES)[number];

/**
 * @example effectiveScale(512, 512, 4) // 4 (2048 x 2048)
 * @example effectiveScale(1600, 1200, 4) // 2 (6400 x 4800 would be 30.7 MP; 3200 x 2400 fits)
 * @example effectiveScale(3000, 3000, 2) // throws INVALID_IMAGE
 */
export function effectiveScale(width: number, height: number, requested: UpscaleScale): UpscaleScale {
  const fits = (scale: number) => width * scale * height * scale <= MAX_UPSCALE_OUTPUT_PIXELS;
  if (fits(requested)) return requested;
  if (requested === 4 && fits(2)) return 2;
  const largest = Math.floor(MAX_UPSCALE_OUTPUT_PIXELS / 4);
  throw new ApiError(
    'INVALID_IMAGE',
    `image is ${width}x${height}; upscaled by 2 it would pass ${MAX_UPSCALE_OUTPUT_PIXELS.toLocaleString('en-US')} pixels ` +
      `(at most ${largest.toLocaleString('en-US')} input pixels can be upscaled)`,
  );
}
