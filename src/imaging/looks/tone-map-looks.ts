import { gaussianBlur, luminance, saturate, selfGuided, smoothstep, type Planes } from './planes.js';

/**
 * Looks that work on the picture's scale of light: the HDR look (a base/detail split of log luminance
 * with a guided filter, the base compressed and the detail boosted, the classic local tone mapping) and
 * tilt-shift (a band in focus, blur growing above and below it, and the saturated, contrasty colours of
 * a toy model).
 */

export function hdrLook(planes: Planes, scale: number, amount: number): void {
  const { width, height, r, g, b } = planes;
  const a = Math.min(2, amount);
  const grey = luminance(planes);
  const logs = new Float32Array(grey.length);
  for (let i = 0; i < grey.length; i++) logs[i] = Math.log2(grey[i] + 1 / 256);
  // The base follows edges (eps in log2 units squared), so no halos along strong outlines.
  const base = selfGuided(logs, width, height, Math.max(4, Math.round(24 * scale)), 0.08);
  let mean = 0;
  for (let i = 0; i < base.length; i++) mean += base[i];
  mean /= base.length;
  const compress = 1 - 0.35 * a;
  const boost = 1 + 0.9 * a;
  for (let i = 0; i < grey.length; i++) {
    const detail = logs[i] - base[i];
    const mapped = mean + (base[i] - mean) * compress + detail * boost;
    const ratio = Math.min(8, 2 ** (mapped - logs[i]));
    r[i] *= ratio;
    g[i] *= ratio;
    b[i] *= ratio;
  }
  saturate(planes, 1 + 0.15 * a);
}

export function tiltShift(planes: Planes, scale: number, amount: number): void {
  const { width, height } = planes;
  const a = Math.min(2, amount);
  const sigma = 10 * scale * a;
  const soft = {
    r: gaussianBlur(planes.r, width, height, sigma / 3),
    g: gaussianBlur(planes.g, width, height, sigma / 3),
    b: gaussianBlur(planes.b, width, height, sigma / 3),
  };
  const hard = {
    r: gaussianBlur(planes.r, width, height, sigma),
    g: gaussianBlur(planes.g, width, height, sigma),
    b: gaussianBlur(planes.b, width, height, sigma),
  };
  for (let y = 0; y < height; y++) {
    const w = tiltShiftWeight(y, height);
    const first = Math.min(1, 2 * w);
    const second = Math.max(0, 2 * w - 1);
    for (let x = 0, i = y * width; x < width; x++, i++) {
      for (const key of ['r', 'g', 'b'] as const) {
        const mid = planes[key][i] + (soft[key][i] - planes[key][i]) * first;
        const v = mid + (hard[key][i] - mid) * second;
        // The toy colours: more contrast around mid-grey.
        planes[key][i] = 0.5 + (v - 0.5) * (1 + 0.12 * a);
      }
    }
  }
  saturate(planes, 1 + 0.25 * a);
}

/**
 * How much blur a tilt-shift gives a row: 0 in the band in focus, which sits a little below the middle
 * (where the ground of most scenes is), rising smoothly to 1 far above and below it.
 */
export function tiltShiftWeight(row: number, height: number): number {
  return smoothstep(0.1, 0.42, Math.abs(row - 0.55 * height) / height);
}
