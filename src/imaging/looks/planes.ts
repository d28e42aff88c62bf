/**
 * Float planes for the looks' kernels: splitting interleaved RGB into planes, luminance, box blurs with
 * running sums (cost independent of the radius, so a 20-pixel blur costs what a 2-pixel one does) and a
 * self-guided filter. Everything here is pure and runs inside the imaging workers.
 */

export interface Planes {
  r: Float32Array;
  g: Float32Array;
  b: Float32Array;
  width: number;
  height: number;
}

/** RGB planes in 0..1 from interleaved 8-bit pixels (the first three channels). */
export function toPlanes(data: Uint8Array, width: number, height: number, channels: number): Planes {
  const n = width * height;
  const r = new Float32Array(n);
  const g = new Float32Array(n);
  const b = new Float32Array(n);
  for (let i = 0, p = 0; i < n; i++, p += channels) {
    r[i] = data[p] / 255;
    g[i] = data[p + 1] / 255;
    b[i] = data[p + 2] / 255;
  }
  return { r, g, b, width, height };
}

/** Interleaved 8-bit RGB from planes in 0..1, clamped and rounded. */
export function fromPlanes(planes: Planes): Uint8Array {
  const { r, g, b } = planes;
  const out = new Uint8Array(r.length * 3);
  for (let i = 0, p = 0; i < r.length; i++, p += 3) {
    out[p] = clampByte(r[i]);
    out[p + 1] = clampByte(g[i]);
    out[p + 2] = clampByte(b[i]);
  }
  return out;
}

export function clampByte(v: number): number {
  return v <= 0 ? 0 : v >= 1 ? 255 : Math.round(v * 255);
}

/** Rec. 709 luma of the planes (gamma-encoded values, as photo editors' luminance sliders use). */
export function luminance(planes: Planes): Float32Array {
  const { r, g, b } = planes;
  const out = new Float32Array(r.length);
  for (let i = 0; i < r.length; i++) out[i] = 0.2126 * r[i] + 0.7152 * g[i] + 0.0722 * b[i];
  return out;
}

/** One box pass along rows, edges clamped; `out` may not alias `src`. */
function rowPass(src: Float32Array, out: Float32Array, width: number, height: number, radius: number) {
  const scale = 1 / (2 * radius + 1);
  const last = width - 1;
  for (let y = 0; y < height; y++) {
    const base = y * width;
    const first = src[base];
    const end = src[base + last];
    let sum = 0;
    for (let i = -radius; i <= radius; i++) sum += src[base + Math.min(Math.max(i, 0), last)];
    for (let i = 0; i < width; i++) {
      out[base + i] = sum * scale;
      const enter = i + radius + 1;
      const leave = i - radius;
      sum += (enter > last ? end : src[base + enter]) - (leave < 0 ? first : src[base + leave]);
    }
  }
}

/**
 * The same down the columns, a whole row at a time (running sums per column), so that memory is read
 * in order rather than one pixel per row.
 */
function columnPass(src: Float32Array, out: Float32Array, width: number, height: number, radius: number) {
  const scale = 1 / (2 * radius + 1);
  const last = height - 1;
  const sums = new Float64Array(width);
  const row = (y: number) => Math.min(Math.max(y, 0), last) * width;
  for (let i = -radius; i <= radius; i++) {
    const at = row(i);
    for (let x = 0; x < width; x++) sums[x] += src[at + x];
  }
  for (let y = 0; y < height; y++) {
    const base = y * width;
    const enter = row(y + radius + 1);
    const leave = row(y - radius);
    for (let x = 0; x < width; x++) {
      out[base + x] = sums[x] * scale;
      sums[x] += src[enter + x] - src[leave + x];
    }
  }
}

/** A box mean of side 2r+1. */
export function boxBlur(src: Float32Array, width: number, height: number, radius: number): Float32Array {
  const r = Math.max(0, Math.round(radius));
  if (r === 0) return src.slice();
  const tmp = new Float32Array(src.length);
  const out = new Float32Array(src.length);
  rowPass(src, tmp, width, height, r);
  columnPass(tmp, out, width, height, r);
  return out;
}

/** A near-Gaussian blur of standard deviation `sigma`: three box blurs of matching variance. */
export function gaussianBlur(src: Float32Array, width: number, height: number, sigma: number): Float32Array {
  if (sigma < 0.5) return src.slice();
  const radius = Math.max(1, Math.round((Math.sqrt(4 * sigma * sigma + 1) - 1) / 2));
  let out = boxBlur(src, width, height, radius);
  out = boxBlur(out, width, height, radius);
  return boxBlur(out, width, height, radius);
}

/**
 * The box means of the guided filter's per-window coefficients (out = meanA * src + meanB), with the image as
 * its own guide; shared by the full- and half-resolution filters below.
 */
function selfGuidedCoefficients(src: Float32Array, width: number, height: number, radius: number, eps: number) {
  const n = src.length;
  const squares = new Float32Array(n);
  for (let i = 0; i < n; i++) squares[i] = src[i] * src[i];
  const mean = boxBlur(src, width, height, radius);
  const meanSq = boxBlur(squares, width, height, radius);
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const variance = Math.max(0, meanSq[i] - mean[i] * mean[i]);
    a[i] = variance / (variance + eps);
    b[i] = mean[i] - a[i] * mean[i];
  }
  return { meanA: boxBlur(a, width, height, radius), meanB: boxBlur(b, width, height, radius) };
}

/**
 * He et al.'s guided filter with the image as its own guide: an edge-preserving smoothing where
 * windows of variance well above `eps` (edges) keep their values and flat ones take the local mean.
 */
export function selfGuided(src: Float32Array, width: number, height: number, radius: number, eps: number): Float32Array {
  const { meanA, meanB } = selfGuidedCoefficients(src, width, height, radius, eps);
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = meanA[i] * src[i] + meanB[i];
  return out;
}

/**
 * The fast guided filter (He and Sun 2015): the same self-guided smoothing with its coefficients computed
 * at half resolution and upsampled bilinearly, then applied to the full-resolution picture. The
 * coefficients vary slowly (they are box means), so the edges, which come from the full-resolution values,
 * stay sharp, at about a quarter of the work.
 */
export function selfGuidedFast(src: Float32Array, width: number, height: number, radius: number, eps: number): Float32Array {
  if (radius < 2 || width < 8 || height < 8) return selfGuided(src, width, height, radius, eps);
  const w = Math.ceil(width / 2);
  const h = Math.ceil(height / 2);
  const small = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const y0 = 2 * y;
    const y1 = Math.min(height - 1, y0 + 1);
    for (let x = 0; x < w; x++) {
      const x0 = 2 * x;
      const x1 = Math.min(width - 1, x0 + 1);
      small[y * w + x] = 0.25 * (src[y0 * width + x0] + src[y0 * width + x1] + src[y1 * width + x0] + src[y1 * width + x1]);
    }
  }
  const r = Math.max(1, Math.round(radius / 2));
  const { meanA, meanB } = selfGuidedCoefficients(small, w, h, r, eps);
  const out = new Float32Array(src.length);
  for (let y = 0; y < height; y++) {
    // Half-resolution sample centres sit at 2x + 0.5 in full-resolution pixels.
    const sy = Math.min(h - 1, Math.max(0, (y - 0.5) / 2));
    const ya = Math.floor(sy);
    const yb = Math.min(h - 1, ya + 1);
    const fy = sy - ya;
    for (let x = 0; x < width; x++) {
      const sx = Math.min(w - 1, Math.max(0, (x - 0.5) / 2));
      const xa = Math.floor(sx);
      const xb = Math.min(w - 1, xa + 1);
      const fx = sx - xa;
      const i00 = ya * w + xa;
      const i01 = ya * w + xb;
      const i10 = yb * w + xa;
      const i11 = yb * w + xb;
      const ca = (meanA[i00] * (1 - fx) + meanA[i01] * fx) * (1 - fy) + (meanA[i10] * (1 - fx) + meanA[i11] * fx) * fy;
      const cb = (meanB[i00] * (1 - fx) + meanB[i01] * fx) * (1 - fy) + (meanB[i10] * (1 - fx) + meanB[i11] * fx) * fy;
      const i = y * width + x;
      out[i] = ca * src[i] + cb;
    }
  }
  return out;
}

/** A small deterministic generator (mulberry32), so the same photo always gets the same grain. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Scales r, g, b by luminance ratios, pulling each pixel toward its grey by (1 - saturation). */
export function saturate(planes: Planes, saturation: number): void {
  const { r, g, b } = planes;
  for (let i = 0; i < r.length; i++) {
    const y = 0.2126 * r[i] + 0.7152 * g[i] + 0.0722 * b[i];
    r[i] = y + (r[i] - y) * saturation;
    g[i] = y + (g[i] - y) * saturation;
    b[i] = y + (b[i] - y) * saturation;
  }
}

export function smoothstep(edge0: number, edge1: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - edge0) / (edge1 - edge0)));
  return t * t * (3 - 2 * t);
}

/**
 * Ink lines, 1 where there is none and down to 0.1 on them: a difference of Gaussians of the grey image,
 * taken on the dark side of each edge, as a draughtsman outlines shapes. `scale` sets the line width.
 */
export function darkLines(grey: Float32Array, width: number, height: number, scale: number, strength = 1): Float32Array {
  const sigma = Math.max(0.7, 1.1 * scale);
  const fine = gaussianBlur(grey, width, height, sigma);
  const coarse = gaussianBlur(grey, width, height, sigma * 1.6);
  const out = new Float32Array(grey.length);
  for (let i = 0; i < out.length; i++) {
    const edge = coarse[i] - fine[i];
    out[i] = 1 - 0.9 * Math.min(1, strength * smoothstep(0.012, 0.05, edge));
  }
  return out;
}
