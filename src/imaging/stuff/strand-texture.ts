import { areaSum, summedArea } from '../summed-area.js';

/**
 * Leaves and grass are found by colour and texture on a coarse grid (stuff-rules.ts), and an animal's fur
 * can have both: the baboon's olive fur was half "foliage", and "make the trees look like autumn" dyed it
 * orange. What tells them apart is the scale of the texture. Fur and hair are strands a pixel or two wide,
 * so most of their detail lies within a pixel of each point; leaves and blades are blobs and strips of
 * several pixels, whose detail lies at a few pixels' scale. The ratio of the two, over the found region:
 * luma's mean distance from its 3x3 mean (fine) against the 3x3 mean's distance from the 9x9 mean (mid).
 *
 * Measured on the found regions of the test photos: the baboon's fur 1.36; the street's leaves 1.00 (0.94
 * at half size), cloudy-street's 0.89, the fruits' lime (a smooth green) 0.60.
 */

/** Above this the found region is strands (fur, hair), not leaves or grass. */
export const STRAND_RATIO = 1.2;

export function strandRatio(data: Uint8Array, width: number, height: number, channels: number, mask: Uint8Array): number {
  const luma = new Float64Array(width * height);
  for (let p = 0, i = 0; p < luma.length; p++, i += channels)
    luma[p] = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
  const sums = summedArea(luma, width, height);
  let fine = 0;
  let mid = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      if (mask[p] <= 127) continue;
      const near = boxMean(sums, width, height, x, y, 1);
      fine += Math.abs(luma[p] - near);
      mid += Math.abs(near - boxMean(sums, width, height, x, y, 4));
    }
  }
  return mid > 0 ? fine / mid : 0;
}

/** The mean over the (2r+1)-square around (x, y), cut by the picture's edge. */
function boxMean(sums: Float64Array, width: number, height: number, x: number, y: number, r: number): number {
  const left = Math.max(0, x - r);
  const right = Math.min(width, x + r + 1);
  const top = Math.max(0, y - r);
  const bottom = Math.min(height, y + r + 1);
  return areaSum(sums, width, left, top, right - left, bottom - top) / ((right - left) * (bottom - top));
}
