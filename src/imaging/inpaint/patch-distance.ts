/**
 * The sum of squared differences between the patch centred at pixel `target` and the patch centred at
 * pixel `source` (both pixel indices, patches of side 2 * radius + 1, fully inside the image), over all
 * channels. It stops as soon as the running sum reaches `limit`: a candidate that is already worse than
 * the best match needs no exact cost, and most random candidates are rejected within a row or two.
 *
 * With `step` 2 only every other row and column is compared (a sparse patch): a large patch keeps its
 * extent, which is what lets it see structure, at a quarter of the cost. Dense patches take the fast path:
 * interleaved pixels make each patch row one contiguous run of (2 * radius + 1) * channels floats.
 */
export function patchDistance(
  pixels: Float32Array,
  width: number,
  channels: number,
  radius: number,
  step: number,
  target: number,
  source: number,
  limit: number,
): number {
  if (step !== 1) return sparseDistance(pixels, width, channels, radius, step, target, source, limit);
  const rowLength = (2 * radius + 1) * channels;
  const stride = width * channels;
  let t = (target - radius * width - radius) * channels;
  let s = (source - radius * width - radius) * channels;
  let sum = 0;
  for (let row = -radius; row <= radius; row++) {
    for (let k = 0; k < rowLength; k++) {
      const d = pixels[t + k] - pixels[s + k];
      sum += d * d;
    }
    if (sum >= limit) return sum;
    t += stride;
    s += stride;
  }
  return sum;
}

function sparseDistance(
  pixels: Float32Array,
  width: number,
  channels: number,
  radius: number,
  step: number,
  target: number,
  source: number,
  limit: number,
): number {
  const rowStride = width * channels * step;
  const pixelStride = channels * step;
  const rowEnd = (2 * radius + 1) * channels;
  let t = (target - radius * width - radius) * channels;
  let s = (source - radius * width - radius) * channels;
  let sum = 0;
  for (let row = -radius; row <= radius; row += step) {
    if (channels === 3) {
      // The common case, unrolled: a loop over three channels costs as much as the arithmetic.
      for (let k = 0; k < rowEnd; k += pixelStride) {
        const d0 = pixels[t + k] - pixels[s + k];
        const d1 = pixels[t + k + 1] - pixels[s + k + 1];
        const d2 = pixels[t + k + 2] - pixels[s + k + 2];
        sum += d0 * d0 + d1 * d1 + d2 * d2;
      }
    } else {
      for (let k = 0; k < rowEnd; k += pixelStride) {
        for (let c = 0; c < channels; c++) {
          const d = pixels[t + k + c] - pixels[s + k + c];
          sum += d * d;
        }
      }
    }
    if (sum >= limit) return sum;
    t += rowStride;
    s += rowStride;
  }
  return sum;
}
