import type { SharedLevel } from './shared-level.js';

/**
 * The reconstruction step of Wexler et al. 2007: every hole pixel is covered by up to (2r+1)^2 target
 * patches, each proposing the pixel at the same place in its matched source patch. The proposals are
 * combined with weights that favour good matches (exp(-cost / 2 sigma^2), sigma^2 taken from the costs'
 * 75th percentile, so the weights do not depend on the image's contrast) and patches near the known
 * region (confidence^-distance), whose matches are constrained by real pixels.
 *
 * Written as a gather (each hole pixel reads its covering patches), so that disjoint ranges of hole
 * pixels can be voted by different threads at once without write conflicts. With `step` 2 only the
 * patches at even offsets vote: a quarter of the work, and measured slightly better than all of them
 * (bench/inpaint/NOTES.md#patchmatch-against-opencvs-telea): fewer, overlapping proposals average less of the disagreement between matches.
 */
export interface VoteOptions {
  /** The first and one-past-last index into `level.holePixels` this call reconstructs. */
  from: number;
  to: number;
  /**
   * `weighted`: the EM vote. `first`: the first vote at a level, before costs mean anything: an
   * equal-weight mean of the proposals of the patches centred within `firstVoteRadius` of the pixel.
   * Upsampled matches of neighbouring patches often disagree, and the mean of all (2r+1)^2 proposals
   * would be a blur that the next matches then copy; a few near ones keep the copied texture.
   */
  mode: 'weighted' | 'first';
  confidenceBase: number;
  similarityScale: number;
  /** How far around a pixel the first vote reads proposals (0: its own match's centre only). */
  firstVoteRadius: number;
  /** 1: every covering patch votes; 2: only those at even offsets in both directions (a quarter). */
  step: number;
}

export function vote(level: SharedLevel, options: VoteOptions): void {
  const { pixels, width, height, channels: c, holePixels, source, cost, distance } = level;
  const { radius } = level.shape;
  const { from, to } = options;
  if (from >= to) return;
  // Weights of the targets this range can read: pixels within `radius` rows of the range.
  const low = Math.max(0, holePixels[from] - radius * width - radius);
  const high = Math.min(width * height - 1, holePixels[to - 1] + radius * width + radius);
  const weights = new Float32Array(high - low + 1);
  const firstVote = options.mode === 'first';
  const inverseScale = firstVote ? 0 : 1 / (2 * options.similarityScale * costPercentile(level, 0.75) + 1e-6);
  const logBase = Math.log(options.confidenceBase);
  for (let t = low; t <= high; t++) {
    // The floor keeps far, poor matches at a tiny weight instead of 0: every pixel keeps some proposal.
    if (source[t] >= 0) weights[t - low] = Math.exp(Math.max(-80, -cost[t] * inverseScale - logBase * distance[t]));
  }
  const sum = new Float64Array(c);
  for (let n = from; n < to; n++) {
    const p = holePixels[n];
    const reach = firstVote ? Math.min(radius, options.firstVoteRadius) : radius;
    let total = gather(pixels, width, c, source, weights, low, p, reach, options.step, sum);
    // Near the image's edge the nearest patch centres may be further away than `reach` or off the
    // sparse grid; every hole pixel is covered by some target patch, so the full window always finds one.
    if (!(total > 0)) total = gather(pixels, width, c, source, weights, low, p, radius, 1, sum);
    for (let ch = 0; ch < c; ch++) pixels[p * c + ch] = sum[ch] / total;
  }
}

/** Sums the weighted proposals for pixel p into `sum`; returns the total weight. */
function gather(
  pixels: Float32Array,
  width: number,
  c: number,
  source: Int32Array,
  weights: Float32Array,
  low: number,
  p: number,
  radius: number,
  step: number,
  sum: Float64Array,
): number {
  sum.fill(0);
  let total = 0;
  for (let dy = -radius; dy <= radius; dy += step) {
    for (let dx = -radius; dx <= radius; dx += step) {
      // t is the centre of a patch covering p. Offsets that wrap across a row end land within
      // `radius` of the far edge, where no patch is centred, so they are skipped like non-targets.
      const t = p + dy * width + dx;
      if (t < low || t - low >= weights.length) continue;
      const s = source[t];
      if (s < 0) continue;
      const w = weights[t - low];
      if (!(w > 0)) continue;
      const at = (s - dy * width - dx) * c;
      total += w;
      for (let ch = 0; ch < c; ch++) sum[ch] += w * pixels[at + ch];
    }
  }
  return total;
}

/** The q-quantile of the targets' costs, from a bounded sample so that it stays cheap on large holes. */
function costPercentile(level: SharedLevel, q: number): number {
  const { targets, cost } = level;
  const step = Math.max(1, Math.floor(targets.length / 4096));
  const sample = new Float32Array(Math.ceil(targets.length / step));
  let n = 0;
  for (let i = 0; i < targets.length; i += step) sample[n++] = cost[targets[i]];
  const sorted = sample.subarray(0, n).sort();
  return sorted[Math.min(n - 1, Math.floor(q * n))] ?? 0;
}
