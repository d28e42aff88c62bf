/**
 * Skin smoothing: an edge-preserving self-guided filter (He et al., "Guided Image Filtering", with the
 * image as its own guide), per colour channel. Flat areas (skin) are averaged over the window; edges
 * (eyes, lips, hair, the outline of a face), whose local variance is far above `eps`, are kept. A part of
 * the original is mixed back so skin keeps some texture rather than turning to plastic.
 * Pure typed-array code for the imaging workers.
 */

/** Mean of each (2r+1)-square window, clamped at the borders, from a summed-area table. */
function boxMean(src: Float32Array, width: number, height: number, r: number): Float32Array {
  const stride = width + 1;
  const sat = new Float64Array(stride * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += src[y * width + x];
      sat[(y + 1) * stride + x + 1] = sat[y * stride + x + 1] + row;
    }
  }
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - r),
      y1 = Math.min(height, y + r + 1);
    for (let x = 0; x < width; x++) {
      const x0 = Math.max(0, x - r),
        x1 = Math.min(width, x + r + 1);
      const sum = sat[y1 * stride + x1] - sat[y0 * stride + x1] - sat[y1 * stride + x0] + sat[y0 * stride + x0];
      out[y * width + x] = sum / ((y1 - y0) * (x1 - x0));
    }
  }
  return out;
}

export interface SmoothSkinInput {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
  /** Window radius in pixels (about 2% of the face's size). */
  radius: number;
  /** 1 is the default strength; it scales the variance below which detail counts as skin texture. */
  amount: number;
}

/** @example smoothSkin({ data, width, height, channels: 3, radius: 6, amount: 1 }) */
export function smoothSkin({ data, width, height, channels, radius, amount }: SmoothSkinInput): Uint8Array {
  const size = width * height;
  const out = new Uint8Array(data);
  const eps = (12 * amount) ** 2; // texture under about 12 grey levels of deviation is smoothed
  const keep = 0.25; // share of the original mixed back
  const p = new Float32Array(size);
  const pp = new Float32Array(size);
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < size; i++) {
      const v = data[i * channels + c];
      p[i] = v;
      pp[i] = v * v;
    }
    const mean = boxMean(p, width, height, radius);
    const meanSq = boxMean(pp, width, height, radius);
    const a = new Float32Array(size);
    const b = new Float32Array(size);
    for (let i = 0; i < size; i++) {
      const variance = Math.max(0, meanSq[i] - mean[i] * mean[i]);
      a[i] = variance / (variance + eps);
      b[i] = mean[i] * (1 - a[i]);
    }
    const meanA = boxMean(a, width, height, radius);
    const meanB = boxMean(b, width, height, radius);
    for (let i = 0; i < size; i++) {
      const q = meanA[i] * p[i] + meanB[i];
      const v = keep * p[i] + (1 - keep) * q;
      out[i * channels + c] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
    }
  }
  return out;
}
