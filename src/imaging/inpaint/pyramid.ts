import { sharedFloat32, sharedUint8 } from './shared-level.js';

/**
 * The image part of one level of the inpainting pyramid: float pixels (interleaved, `channels` per pixel) and its hole
 * (1 = to fill). Hole pixels hold the current estimate once the solver has reached the level.
 */
export interface Level {
  width: number;
  height: number;
  channels: number;
  pixels: Float32Array;
  hole: Uint8Array;
  /** 1 where no source patch may reach (see InpaintImage.noSource); absent when nothing is excluded. */
  noSource?: Uint8Array;
}

// The 5-tap binomial kernel, a cheap Gaussian with sigma about 1 that suppresses aliasing when halving.
const KERNEL = [1 / 16, 4 / 16, 6 / 16, 4 / 16, 1 / 16];

/**
 * Halves a level with a Gaussian filter that reads known pixels only (normalised convolution), so no
 * unknown value leaks into the coarse image. A coarse pixel is a hole if any of the four fine pixels under
 * it is: the coarse hole is never smaller than the fine one, and every coarse value outside it is real.
 */
export function downsample(level: Level): Level {
  const { width, height, channels: c, pixels, hole } = level;
  const w2 = (width + 1) >> 1;
  const h2 = (height + 1) >> 1;
  // Horizontal pass: weighted sums (value and weight) at every fine row, coarse column.
  const rowValues = new Float32Array(w2 * height * c);
  const rowWeights = new Float32Array(w2 * height);
  for (let y = 0; y < height; y++) {
    for (let x2 = 0; x2 < w2; x2++) {
      const out = y * w2 + x2;
      let weight = 0;
      for (let k = 0; k < 5; k++) {
        const x = clamp(2 * x2 + k - 2, width);
        const i = y * width + x;
        if (hole[i]) continue;
        const kw = KERNEL[k];
        weight += kw;
        for (let ch = 0; ch < c; ch++) rowValues[out * c + ch] += kw * pixels[i * c + ch];
      }
      rowWeights[out] = weight;
    }
  }
  const coarsePixels = sharedFloat32(w2 * h2 * c);
  const coarseHole = sharedUint8(w2 * h2);
  const coarseNoSource = level.noSource ? sharedUint8(w2 * h2) : undefined;
  const sum = new Float64Array(c);
  for (let y2 = 0; y2 < h2; y2++) {
    for (let x2 = 0; x2 < w2; x2++) {
      sum.fill(0);
      let weight = 0;
      for (let k = 0; k < 5; k++) {
        const i = clamp(2 * y2 + k - 2, height) * w2 + x2;
        const kw = KERNEL[k];
        weight += kw * rowWeights[i];
        for (let ch = 0; ch < c; ch++) sum[ch] += kw * rowValues[i * c + ch];
      }
      const out = y2 * w2 + x2;
      if (weight > 0) for (let ch = 0; ch < c; ch++) coarsePixels[out * c + ch] = sum[ch] / weight;
      coarseHole[out] = anyHoleUnder(hole, width, height, x2, y2);
      if (coarseNoSource && level.noSource) coarseNoSource[out] = anyHoleUnder(level.noSource, width, height, x2, y2);
    }
  }
  return { width: w2, height: h2, channels: c, pixels: coarsePixels, hole: coarseHole, noSource: coarseNoSource };
}

/** 1 if any of the (up to) four fine pixels under coarse pixel (x2, y2) is set in `hole`. */
function anyHoleUnder(hole: Uint8Array, width: number, height: number, x2: number, y2: number): number {
  const x = 2 * x2;
  const y = 2 * y2;
  const right = x + 1 < width;
  const below = y + 1 < height;
  const i = y * width + x;
  if (hole[i] || (right && hole[i + 1])) return 1;
  if (below && (hole[i + width] || (right && hole[i + width + 1]))) return 1;
  return 0;
}

function clamp(v: number, size: number): number {
  return v < 0 ? 0 : v >= size ? size - 1 : v;
}
