import { boxMean } from '../guided-filter.js';
import type { Rgb } from '../colors.js';
import { gradientAt, SKY_PALETTES, type SkyPreset } from './sky-presets.js';

/**
 * Sky edits on a found sky mask (find-stuff.ts), as photo editors do them without a generative model:
 * - tint: bluer, deeper, more dramatic or another colour, keeping the sky's lightness and the clouds'
 *   whiteness (clouds take a quarter of the tint, the clear sky all of it);
 * - replace: a graded sky (sunset, sunrise, clear, blue hour, stormy) whose lightness is modulated by the
 *   old sky's, so every cloud keeps its shape and shading, lit in the new sky's cloud colour; the scene
 *   below is relit to belong (a low sun is warmer and weaker).
 * Every pixel is mixed by the mask, so a pixel of weight 0 outside the sky is changed only by the relight,
 * and only when the look has one. The result reports how well the clouds' fine structure survived.
 */

export type SkyLook =
  | { kind: 'tint'; color: Rgb; amount: number; deepen: number; drama: number }
  | { kind: 'replace'; preset: SkyPreset };

export interface SkyEditInput {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
  /** One byte per pixel, 255 = sky. */
  mask: Uint8Array;
  look: SkyLook;
}

export interface SkyEditResult {
  data: Uint8Array;
  /** Correlation of the fine detail (lightness minus its local mean) in the sky before and after. */
  detailCorrelation: number;
  /** Standard deviation of that detail in the original sky: how much structure there was to keep. */
  skyDetail: number;
}

const lumaOf = (r: number, g: number, b: number) => 0.299 * r + 0.587 * g + 0.114 * b;

/**
 * @example const { data } = editSky({ ...photo, mask: sky.mask, look: { kind: 'replace', preset: 'sunset' } });
 */
export function editSky(input: SkyEditInput): SkyEditResult {
  const { data, width, height, channels, mask, look } = input;
  const n = width * height;
  const luma = new Float32Array(n);
  for (let i = 0, j = 0; i < n; i++, j += channels) luma[i] = lumaOf(data[j], data[j + 1], data[j + 2]);
  const radius = Math.max(2, Math.round(0.01 * Math.min(width, height)));
  const local = boxMean(luma, width, height, radius);
  // The clouds' shading is taken from a lightly smoothed lightness, so a dark sky's sensor noise is not amplified.
  const shade = boxMean(luma, width, height, 1);
  const { meanLuma, bottom } = skyExtent(mask, luma, width, height);
  const out = new Uint8Array(data);
  // Where a pixel is part sky, part roof (the soft edge), the old sky's share is taken out before the new
  // sky's is put in (I = m * sky + (1 - m) * roof), so no rim of the old sky's colour outlines the buildings.
  const oldSky = look.kind === 'replace' ? meanSkyColour(data, channels, mask) : null;
  const palette = look.kind === 'replace' ? SKY_PALETTES[look.preset] : null;
  const tintLuma = look.kind === 'tint' ? Math.max(1, lumaOf(...look.color)) : 1;
  const px = [0, 0, 0];
  for (let y = 0; y < height; y++) {
    const colour = palette ? gradientAt(palette, Math.min(1, y / bottom)) : null;
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const j = i * channels;
      const m = mask[i] / 255;
      const r = data[j];
      const g = data[j + 1];
      const b = data[j + 2];
      const l = luma[i];
      const max = Math.max(r, g, b);
      const sat = max > 0 ? (max - Math.min(r, g, b)) / max : 0;
      // Clouds: pale and at least as bright as the sky around them.
      const cloud = clamp01(1 - sat / 0.3) * clamp01((l - meanLuma + 25) / 60);
      if (look.kind === 'tint') {
        if (m === 0) continue;
        const newLuma = Math.max(0, l * (1 - look.deepen * (1 - 0.6 * cloud)) + look.drama * (l - local[i]));
        const a = look.amount * (1 - 0.75 * cloud);
        const keep = l > 0 ? newLuma / l : 0;
        const scale = newLuma / tintLuma;
        for (let k = 0; k < 3; k++) px[k] = (1 - a) * data[j + k] * keep + a * look.color[k] * scale;
        // A sky that is already the colour asked for still gains: its chroma grows with the amount.
        const grey = lumaOf(px[0], px[1], px[2]);
        for (let k = 0; k < 3; k++) px[k] = grey + (1 + 0.4 * a) * (px[k] - grey);
      } else if (m > 0) {
        const d = Math.min(2.2, Math.max(0.25, shade[i] / meanLuma)) ** 1.15;
        const lit = l / 255;
        for (let k = 0; k < 3; k++) {
          const base = colour![k] * d;
          px[k] = base * (1 - 0.6 * cloud) + palette!.cloud[k] * Math.min(1.15, lit * 1.25) * 0.6 * cloud;
        }
      }
      if (palette && m < 1) {
        // The scene below, relit: exposure, then saturation around its lightness, then the light's colour.
        const { gains, exposure, saturation } = palette.relight;
        const below = [0, 0, 0];
        const own = [0, 0, 0];
        for (let k = 0; k < 3; k++) own[k] = m > 0 ? unmix(data[j + k], oldSky![k], m) : data[j + k];
        const ownLuma = lumaOf(own[0], own[1], own[2]);
        for (let k = 0; k < 3; k++) below[k] = (ownLuma + saturation * (own[k] - ownLuma)) * exposure * gains[k];
        if (m === 0) for (let k = 0; k < 3; k++) px[k] = below[k];
        else for (let k = 0; k < 3; k++) px[k] = m * px[k] + (1 - m) * below[k];
      } else if (m < 1) {
        for (let k = 0; k < 3; k++) px[k] = m * px[k] + (1 - m) * data[j + k];
      }
      writeKeepingHue(out, j, px);
    }
  }
  return { data: out, ...detailKept(luma, local, out, channels, mask, width, height, radius) };
}

/** The foreground's own value in a pixel that is `m` sky of colour `sky` (clamped; near-full sky keeps the pixel). */
function unmix(value: number, sky: number, m: number): number {
  if (m > 0.9) return value;
  return Math.min(255, Math.max(0, (value - m * sky) / (1 - m)));
}

/** Mean colour of the pixels that are surely sky. */
function meanSkyColour(data: Uint8Array, channels: number, mask: Uint8Array): number[] {
  const mean = [0, 0, 0];
  let count = 0;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] < 250) continue;
    for (let k = 0; k < 3; k++) mean[k] += data[i * channels + k];
    count++;
  }
  return mean.map((v) => v / Math.max(1, count));
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}

/** Writes a colour, scaling all three channels down together where one would clip (the hue stays). */
function writeKeepingHue(out: Uint8Array, j: number, px: number[]): void {
  const top = Math.max(px[0], px[1], px[2]);
  const s = top > 255 ? 255 / top : 1;
  for (let k = 0; k < 3; k++) out[j + k] = Math.max(0, Math.min(255, Math.round(px[k] * s)));
}

/** The sky's mean lightness and its horizon row (above which 97% of its weight lies). */
function skyExtent(mask: Uint8Array, luma: Float32Array, width: number, height: number): { meanLuma: number; bottom: number } {
  const rows = new Float64Array(height);
  let total = 0;
  let lumaSum = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const w = mask[y * width + x];
      rows[y] += w;
      lumaSum += w * luma[y * width + x];
    }
    total += rows[y];
  }
  let bottom = height - 1;
  let seen = 0;
  for (let y = 0; y < height; y++) {
    seen += rows[y];
    if (seen >= 0.97 * total) {
      bottom = y;
      break;
    }
  }
  return { meanLuma: Math.max(8, total > 0 ? lumaSum / total : 128), bottom: Math.max(1, bottom) };
}

/**
 * Correlation of fine detail (lightness minus its local mean) inside the sky, before and after. Both are
 * read through a 3x3 mean first: the structure of clouds survives it, a dusk sky's sensor noise (which a
 * new graded sky rightly does not keep) mostly does not, so a clear noisy sky is not taken for lost clouds.
 */
function detailKept(
  luma: Float32Array,
  local: Float32Array,
  out: Uint8Array,
  channels: number,
  mask: Uint8Array,
  width: number,
  height: number,
  radius: number,
): { detailCorrelation: number; skyDetail: number } {
  const n = width * height;
  const raw = new Float32Array(n);
  for (let i = 0, j = 0; i < n; i++, j += channels) raw[i] = lumaOf(out[j], out[j + 1], out[j + 2]);
  const after = boxMean(raw, width, height, 1);
  const afterLocal = boxMean(after, width, height, radius);
  const before = boxMean(luma, width, height, 1);
  let sa = 0;
  let sb = 0;
  let saa = 0;
  let sbb = 0;
  let sab = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (mask[i] < 230) continue;
    const a = before[i] - local[i];
    const b = after[i] - afterLocal[i];
    sa += a;
    sb += b;
    saa += a * a;
    sbb += b * b;
    sab += a * b;
    k++;
  }
  if (k < 16) return { detailCorrelation: 1, skyDetail: 0 };
  const va = saa / k - (sa / k) ** 2;
  const vb = sbb / k - (sb / k) ** 2;
  const cov = sab / k - (sa / k) * (sb / k);
  const correlation = va > 1e-6 && vb > 1e-6 ? cov / Math.sqrt(va * vb) : va <= 1e-6 ? 1 : 0;
  return { detailCorrelation: correlation, skyDetail: Math.sqrt(Math.max(0, va)) };
}
