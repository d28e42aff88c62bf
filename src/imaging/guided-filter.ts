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

/** Interleaved 8-bit pixels, the guide at full resolution. */
export interface PixelsView {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

/**
 * q = a . I + b at full resolution, the coefficients bilinearly upsampled (pixel-centre aligned, as sharp
 * made the grid) when the grid is smaller than the photo.
 */
export function applyCoefficients(k: GuidedCoefficients, full: PixelsView): Uint8Array {
  const { width, height, channels, data } = full;
  const out = new Uint8Array(width * height);
  const xs = centreTable(k.width, width);
  const ys = centreTable(k.height, height);
  // Each output row first blends two grid rows of every plane (vertical pass), then reads two taps per
  // plane from these rows: 8 reads per pixel instead of 16.
  const planes = [k.ar, k.ag, k.ab, k.b];
  const rows = planes.map(() => new Float32Array(k.width));
  const [rowR, rowG, rowB, rowK] = rows;
  for (let y = 0; y < height; y++) {
    const r0 = ys.lo[y] * k.width;
    const r1 = ys.hi[y] * k.width;
    const wy = ys.weight[y];
    for (let p = 0; p < 4; p++) {
      const plane = planes[p];
      const row = rows[p];
      for (let x = 0; x < k.width; x++) row[x] = plane[r0 + x] + wy * (plane[r1 + x] - plane[r0 + x]);
    }
    let j = y * width * channels;
    let o = y * width;
    for (let x = 0; x < width; x++, j += channels, o++) {
      const lo = xs.lo[x];
      const hi = xs.hi[x];
      const wx = xs.weight[x];
      const aR = rowR[lo] + wx * (rowR[hi] - rowR[lo]);
      const aG = rowG[lo] + wx * (rowG[hi] - rowG[lo]);
      const aB = rowB[lo] + wx * (rowB[hi] - rowB[lo]);
      const b = rowK[lo] + wx * (rowK[hi] - rowK[lo]);
      const q = (aR * data[j] + aG * data[j + 1] + aB * data[j + 2]) * (1 / 255) + b;
      out[o] = q <= 0 ? 0 : q >= 1 ? 255 : Math.round(q * 255);
    }
  }
  return out;
}

/** Source indices and weight for each target index, pixel centres aligned (identity when sizes match). */
function centreTable(sourceLength: number, targetLength: number): { lo: Int32Array; hi: Int32Array; weight: Float32Array } {
  const lo = new Int32Array(targetLength);
  const hi = new Int32Array(targetLength);
  const weight = new Float32Array(targetLength);
  const step = sourceLength / targetLength;
  for (let i = 0; i < targetLength; i++) {
    const position = Math.min(Math.max((i + 0.5) * step - 0.5, 0), sourceLength - 1);
    lo[i] = Math.floor(position);
    hi[i] = Math.min(lo[i] + 1, sourceLength - 1);
    weight[i] = position - lo[i];
  }
  return { lo, hi, weight };
}
