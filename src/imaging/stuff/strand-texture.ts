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

function summedArea(values: Float64Array, width: number, height: number): Float64Array {
  const w1 = width + 1;
  const out = new Float64Array(w1 * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += values[y * width + x];
      out[(y + 1) * w1 + x + 1] = out[y * w1 + x + 1] + row;
    }
  }
  return out;
}

/** The mean over the (2r+1)-square around (x, y), cut by the picture's edge. */
function boxMean(sums: Float64Array, width: number, height: number, x: number, y: number, r: number): number {
  const w1 = width + 1;
  const left = Math.max(0, x - r);
  const right = Math.min(width, x + r + 1);
  const top = Math.max(0, y - r);
  const bottom = Math.min(height, y + r + 1);
  const sum = sums[bottom * w1 + right] - sums[top * w1 + right] - sums[bottom * w1 + left] + sums[top * w1 + left];
  return sum / ((right - left) * (bottom - top));
}
