/**
 * The guided filter of He, Sun and Tang ("Guided Image Filtering", TPAMI 2013), colour-guide version, in its
 * fast form (He and Sun, 2015): the linear coefficients are computed on a grid no larger than the model's
 * resolution and only applied at full resolution. Used to bring the coarse matte back to the photo's size
 * with edges that follow the photo's edges, instead of the blocky or haloed edges of a plain upscale.
 * Pure functions on typed arrays; they run in the segmentation worker.
 */

/** Planar colour guide with values in 0..1, one plane per channel. */
export interface ColourGuide {
  r: Float32Array;
  g: Float32Array;
  b: Float32Array;
  width: number;
  height: number;
}

/** Per-pixel linear model `q = ar * R + ag * G + ab * B + b`, already averaged over each window. */
export interface GuidedCoefficients {
  ar: Float32Array;
  ag: Float32Array;
  ab: Float32Array;
  b: Float32Array;
  width: number;
  height: number;
}

/**
 * Mean over the (2r+1)^2 window around each pixel, the window clipped at the borders. Two running-sum
 * passes, so the cost does not depend on r.
 */
export function boxMean(src: Float32Array, width: number, height: number, r: number): Float32Array {
  const tmp = new Float32Array(src.length);
  const out = new Float32Array(src.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let sum = 0;
    for (let x = 0; x < Math.min(r, width - 1) + 1; x++) sum += src[row + x];
    for (let x = 0; x < width; x++) {
      const lo = Math.max(0, x - r);
      const hi = Math.min(width - 1, x + r);
      tmp[row + x] = sum / (hi - lo + 1);
      if (x + r + 1 < width) sum += src[row + x + r + 1];
      if (x - r >= 0) sum -= src[row + x - r];
    }
  }
  const sums = new Float64Array(width);
  for (let y = 0; y < Math.min(r, height - 1) + 1; y++) for (let x = 0; x < width; x++) sums[x] += tmp[y * width + x];
  for (let y = 0; y < height; y++) {
    const count = Math.min(height - 1, y + r) - Math.max(0, y - r) + 1;
    const row = y * width;
    const add = y + r + 1 < height ? (y + r + 1) * width : -1;
    const sub = y - r >= 0 ? (y - r) * width : -1;
    for (let x = 0; x < width; x++) {
      out[row + x] = sums[x] / count;
      if (add >= 0) sums[x] += tmp[add + x];
      if (sub >= 0) sums[x] -= tmp[sub + x];
    }
  }
  return out;
}

function product(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] * b[i];
  return out;
}

/**
 * The averaged coefficients of the guided filter of `p` (0..1) with colour guide `guide`, window radius `r`
 * and regulariser `eps` (larger = smoother, closer to a plain box blur of `p`).
 *
 * @example const k = guidedCoefficients(guide, coarseMatte, 4, 1e-3); const q = applyCoefficients(k, guide);
 */
export function guidedCoefficients(guide: ColourGuide, p: Float32Array, r: number, eps: number): GuidedCoefficients {
  const { width, height, r: R, g: G, b: B } = guide;
  const mean = (plane: Float32Array) => boxMean(plane, width, height, r);
  const mR = mean(R),
    mG = mean(G),
    mB = mean(B),
    mP = mean(p);
  const mRP = mean(product(R, p)),
    mGP = mean(product(G, p)),
    mBP = mean(product(B, p));
  const vRR = mean(product(R, R)),
    vRG = mean(product(R, G)),
    vRB = mean(product(R, B));
  const vGG = mean(product(G, G)),
    vGB = mean(product(G, B)),
    vBB = mean(product(B, B));
  const n = width * height;
  const ar = new Float32Array(n),
    ag = new Float32Array(n),
    ab = new Float32Array(n),
    b = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const covR = mRP[i] - mR[i] * mP[i];
    const covG = mGP[i] - mG[i] * mP[i];
    const covB = mBP[i] - mB[i] * mP[i];
    // Covariance of the guide in the window plus eps on the diagonal, inverted by cofactors.
    const rr = vRR[i] - mR[i] * mR[i] + eps,
      rg = vRG[i] - mR[i] * mG[i],
      rb = vRB[i] - mR[i] * mB[i];
    const gg = vGG[i] - mG[i] * mG[i] + eps,
      gb = vGB[i] - mG[i] * mB[i],
      bb = vBB[i] - mB[i] * mB[i] + eps;
    const iRR = gg * bb - gb * gb,
      iRG = gb * rb - rg * bb,
      iRB = rg * gb - gg * rb;
    const iGG = rr * bb - rb * rb,
      iGB = rb * rg - rr * gb,
      iBB = rr * gg - rg * rg;
    const det = rr * iRR + rg * iRG + rb * iRB;
    const aR = (iRR * covR + iRG * covG + iRB * covB) / det;
    const aG = (iRG * covR + iGG * covG + iGB * covB) / det;
    const aB = (iRB * covR + iGB * covG + iBB * covB) / det;
    ar[i] = aR;
    ag[i] = aG;
    ab[i] = aB;
    b[i] = mP[i] - aR * mR[i] - aG * mG[i] - aB * mB[i];
  }
  return { ar: mean(ar), ag: mean(ag), ab: mean(ab), b: mean(b), width, height };
}

/** Splits interleaved 8-bit pixels into 0..1 colour planes (the guide). */
export function colourGuide(data: Uint8Array, width: number, height: number, channels: number): ColourGuide {
  const n = width * height;
  const r = new Float32Array(n),
    g = new Float32Array(n),
    b = new Float32Array(n);
  for (let i = 0, j = 0; i < n; i++, j += channels) {
    r[i] = data[j] / 255;
    g[i] = data[j + 1] / 255;
    b[i] = data[j + 2] / 255;
  }
  return { r, g, b, width, height };
}
