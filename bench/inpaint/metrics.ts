/**
 * Quality inside the hole, against the original photo.
 *
 * PSNR: over the hole's pixels, all three colour channels.
 * SSIM: Wang et al. 2004 on luma (BT.601), with the standard 11x11 Gaussian window (sigma 1.5) and
 * constants K1 = 0.01, K2 = 0.03; the SSIM map is averaged over the windows centred on hole pixels, so
 * each window mixes the fill with its surroundings the way a viewer sees the seam and the texture.
 */
export interface Rgb {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

export function psnrInHole(a: Rgb, b: Rgb, hole: Uint8Array): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < hole.length; i++) {
    if (hole[i] <= 127) continue;
    for (let ch = 0; ch < 3; ch++) {
      const d = a.data[i * a.channels + ch] - b.data[i * b.channels + ch];
      sum += d * d;
      n++;
    }
  }
  const mse = sum / Math.max(1, n);
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}

export function ssimInHole(a: Rgb, b: Rgb, hole: Uint8Array): number {
  const { width, height } = a;
  const x = luma(a);
  const y = luma(b);
  // Local means, variances and covariance through one separable Gaussian blur each.
  const mx = blur(x, width, height);
  const my = blur(y, width, height);
  const xx = blur(product(x, x), width, height);
  const yy = blur(product(y, y), width, height);
  const xy = blur(product(x, y), width, height);
  const c1 = (0.01 * 255) ** 2;
  const c2 = (0.03 * 255) ** 2;
  let sum = 0;
  let n = 0;
  for (let i = 0; i < hole.length; i++) {
    if (hole[i] <= 127) continue;
    const vx = xx[i] - mx[i] * mx[i];
    const vy = yy[i] - my[i] * my[i];
    const cxy = xy[i] - mx[i] * my[i];
    sum += ((2 * mx[i] * my[i] + c1) * (2 * cxy + c2)) / ((mx[i] ** 2 + my[i] ** 2 + c1) * (vx + vy + c2));
    n++;
  }
  return sum / Math.max(1, n);
}

function luma(image: Rgb): Float64Array {
  const out = new Float64Array(image.width * image.height);
  const d = image.data;
  const c = image.channels;
  for (let i = 0; i < out.length; i++) out[i] = 0.299 * d[i * c] + 0.587 * d[i * c + 1] + 0.114 * d[i * c + 2];
  return out;
}

function product(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] * b[i];
  return out;
}

const KERNEL = (() => {
  const k: number[] = [];
  for (let i = -5; i <= 5; i++) k.push(Math.exp(-(i * i) / (2 * 1.5 * 1.5)));
  const s = k.reduce((p, q) => p + q, 0);
  return k.map((v) => v / s);
})();

/** Gaussian blur with edge pixels repeated (windows near the border stay full-size). */
function blur(src: Float64Array, width: number, height: number): Float64Array {
  const tmp = new Float64Array(src.length);
  const out = new Float64Array(src.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let k = -5; k <= 5; k++) s += KERNEL[k + 5] * src[y * width + Math.min(width - 1, Math.max(0, x + k))];
      tmp[y * width + x] = s;
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let k = -5; k <= 5; k++) s += KERNEL[k + 5] * tmp[Math.min(height - 1, Math.max(0, y + k)) * width + x];
      out[y * width + x] = s;
    }
  }
  return out;
}
