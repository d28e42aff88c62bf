import type { AlphaMatte } from '../../resources/segmenter/index.js';

/**
 * How much of the picture a matte keeps, and whether that is worth a word to the client. A photo with no
 * clear subject (a facade filling the frame, a texture, a landscape) gives a matte that keeps almost
 * nothing, or almost everything: the cutout is then nearly blank, or nearly the photo, and a client that
 * writes it silently has a wrong file it did not ask for. The answer stays a 200 (the matte is the model's
 * honest output, and some photos are meant to be all subject), with a warning the client can act on.
 */

/** Below this share of kept pixels the cutout is nearly empty. */
export const NEARLY_EMPTY = 0.02;
/** Above this share the cutout is nearly the whole photo. */
export const NEARLY_FULL = 0.98;

/** The share of pixels the matte keeps (alpha at least half), from 0 to 1. */
export function matteCoverage(matte: AlphaMatte): number {
  const { data } = matte;
  if (data.length === 0) return 0;
  let kept = 0;
  for (let i = 0; i < data.length; i++) if (data[i]! >= 128) kept++;
  return kept / data.length;
}

/**
 * The warning for a nearly empty or nearly full matte (one sentence, ASCII, as an HTTP header can carry
 * it), or undefined when the matte found a subject.
 *
 * @example matteWarning(0.004) // 'the matte keeps 0.4% of the picture: no clear subject was found, so the cutout is nearly empty'
 */
export function matteWarning(coverage: number): string | undefined {
  const percent = coverage > 0 && coverage < 0.001 ? 'less than 0.1%' : `${(coverage * 100).toFixed(1)}%`;
  if (coverage < NEARLY_EMPTY) {
    return `the matte keeps ${percent} of the picture: no clear subject was found, so the cutout is nearly empty`;
  }
  if (coverage > NEARLY_FULL) {
    return `the matte keeps ${percent} of the picture: no background was told apart, so the cutout is nearly the whole photo`;
  }
  return undefined;
}
