import { darkLines, luminance, saturate, selfGuidedFast, type Planes } from './planes.js';

/**
 * Painted looks. Oil painting is a generalized Kuwahara filter: each pixel takes a weighted mean of eight
 * box sectors around it (four quadrants and four half-windows), each weighted by the inverse of its
 * luminance variance raised to a power, so sectors that straddle an edge hardly count, strokes follow the
 * edges and flat areas turn to patches of paint. Sums come from integral images, so the cost does not
 * grow with the brush size. Cartoon is edge-preserving smoothing, quantised luminance and dark XDoG lines.
 */

/**
 * Summed-area tables of r, g, b, luminance and luminance squared, interleaved (five values per cell, so
 * the four corners of a box are four cache lines), with a zero first row and column.
 */
function integrals(planes: Planes, grey: Float32Array): Float64Array {
  const { width, height } = planes;
  const stride = (width + 1) * 5;
  const sums = new Float64Array(stride * (height + 1));
  const row = new Float64Array(5);
  for (let y = 0; y < height; y++) {
    row.fill(0);
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const at = (y + 1) * stride + (x + 1) * 5;
      row[0] += planes.r[i];
      row[1] += planes.g[i];
      row[2] += planes.b[i];
      row[3] += grey[i];
      row[4] += grey[i] * grey[i];
      for (let k = 0; k < 5; k++) sums[at + k] = sums[at - stride + k] + row[k];
    }
  }
  return sums;
}

export function kuwahara(planes: Planes, radius: number, sharpness = 6): Planes {
  const { width, height } = planes;
  const grey = luminance(planes);
  const sums = integrals(planes, grey);
  const stride = (width + 1) * 5;
  const out = {
    r: new Float32Array(grey.length),
    g: new Float32Array(grey.length),
    b: new Float32Array(grey.length),
    width,
    height,
  };
  const rad = Math.max(1, Math.round(radius));
  const box = new Float64Array(5);
  const acc = new Float64Array(4);
  const power = sharpness / 4;
  const sector = (x0: number, y0: number, x1: number, y1: number) => {
    // Inclusive pixel bounds, clamped to the picture.
    const a = Math.min(width - 1, Math.max(0, x0));
    const b = Math.min(height - 1, Math.max(0, y0));
    const c = Math.max(a, Math.min(width - 1, x1)) + 1;
    const d = Math.max(b, Math.min(height - 1, y1)) + 1;
    const inverse = 1 / ((c - a) * (d - b));
    const p11 = d * stride + c * 5;
    const p01 = b * stride + c * 5;
    const p10 = d * stride + a * 5;
    const p00 = b * stride + a * 5;
    for (let k = 0; k < 5; k++) box[k] = (sums[p11 + k] - sums[p01 + k] - sums[p10 + k] + sums[p00 + k]) * inverse;
    const variance = 1e-4 + Math.max(0, box[4] - box[3] * box[3]);
    // 1e-4 keeps flat sectors from dividing by zero; the power sets how hard edges are kept. The default
    // power, 1.5, is a square root and a product: Math.pow was a third of the filter's time.
    const weight = 1 / (power === 1.5 ? variance * Math.sqrt(variance) : variance ** power);
    acc[0] += box[0] * weight;
    acc[1] += box[1] * weight;
    acc[2] += box[2] * weight;
    acc[3] += weight;
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      acc.fill(0);
      sector(x - rad, y - rad, x, y);
      sector(x, y - rad, x + rad, y);
      sector(x - rad, y, x, y + rad);
      sector(x, y, x + rad, y + rad);
      const half = rad >> 1;
      sector(x - rad, y - rad, x + rad, y - half);
      sector(x - rad, y + half, x + rad, y + rad);
      sector(x - rad, y - rad, x - half, y + rad);
      sector(x + half, y - rad, x + rad, y + rad);
      const i = y * width + x;
      out.r[i] = acc[0] / acc[3];
      out.g[i] = acc[1] / acc[3];
      out.b[i] = acc[2] / acc[3];
    }
  }
  return out;
}

export function oilPainting(planes: Planes, scale: number, amount: number): Planes {
  const painted = kuwahara(planes, Math.max(2, 5 * scale * Math.min(2, amount)));
  saturate(painted, 1.12);
  return painted;
}

export function cartoon(planes: Planes, scale: number, amount: number): Planes {
  const { width, height } = planes;
  // Flatten the shading but keep the outlines: two rounds of a self-guided filter on each channel.
  const radius = Math.max(2, Math.round(4 * scale));
  const smooth = { ...planes };
  for (const key of ['r', 'g', 'b'] as const) {
    // Coefficients at half resolution (the fast guided filter): the edges still come from full resolution.
    smooth[key] = selfGuidedFast(selfGuidedFast(planes[key], width, height, radius, 0.004), width, height, radius, 0.004);
  }
  const grey = luminance(smooth);
  const levels = Math.max(3, Math.round(7 / Math.min(2, amount)));
  const lines = darkLines(luminance(planes), width, height, scale);
  const { r, g, b } = smooth;
  for (let i = 0; i < r.length; i++) {
    const y = grey[i];
    // Soft-edged steps of luminance, colour kept by scaling the channels together (never past white).
    const t = y * levels;
    const step = Math.floor(t);
    const quantised = (step + Math.min(1, Math.max(0, (t - step - 0.85) / 0.15)) + 0.5) / levels;
    const top = Math.max(r[i], g[i], b[i], 1e-3);
    const ratio = Math.min(1 / top, 1.8, (quantised + 0.02) / (y + 0.02)) * lines[i];
    r[i] *= ratio;
    g[i] *= ratio;
    b[i] *= ratio;
  }
  saturate(smooth, 1.15);
  return smooth;
}
