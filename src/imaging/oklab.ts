import type { Rgb } from './colors.js';

/**
 * OKLab (Björn Ottosson, 2020): a perceptual colour space in which lightness L (0..1) is separate from the
 * opponent axes a (green-red) and b (blue-yellow), so a hue and chroma change can leave L, and with it the
 * shading and texture a thing owes to its light, exactly where it was. Per-pixel functions on plain numbers
 * (no allocation), for the imaging workers' kernels.
 */

const TO_LINEAR = new Float64Array(256);
for (let v = 0; v < 256; v++) {
  const c = v / 255;
  TO_LINEAR[v] = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** sRGB bytes to OKLab, written into `out` [L, a, b]. */
export function srgbToOklab(r: number, g: number, b: number, out: Float64Array): void {
  const lr = TO_LINEAR[r];
  const lg = TO_LINEAR[g];
  const lb = TO_LINEAR[b];
  const l = Math.cbrt(0.4122214708 * lr + 0.5363325363 * lg + 0.0514459929 * lb);
  const m = Math.cbrt(0.2119034982 * lr + 0.6806995451 * lg + 0.1073969566 * lb);
  const s = Math.cbrt(0.0883024619 * lr + 0.2817188376 * lg + 0.6299787005 * lb);
  out[0] = 0.2104542553 * l + 0.793617785 * m - 0.0040720468 * s;
  out[1] = 1.9779984951 * l - 2.428592205 * m + 0.4505937099 * s;
  out[2] = 0.0259040371 * l + 0.7827717662 * m - 0.808675766 * s;
}

/** OKLab to linear sRGB, written into `out` (values may leave 0..1: the colour is out of gamut). */
export function oklabToLinear(L: number, a: number, b: number, out: Float64Array): void {
  const l = (L + 0.3963377774 * a + 0.2158037573 * b) ** 3;
  const m = (L - 0.1055613458 * a - 0.0638541728 * b) ** 3;
  const s = (L - 0.0894841775 * a - 1.291485548 * b) ** 3;
  out[0] = 4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s;
  out[1] = -1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s;
  out[2] = -0.0041960863 * l - 0.7034186147 * m + 1.707815401 * s;
}

/** sRGB bytes of linear light on a fine grid: a table look-up instead of a power per channel. */
const TABLE_SIZE = 8192;
const FROM_LINEAR = new Uint8Array(TABLE_SIZE + 1);
for (let k = 0; k <= TABLE_SIZE; k++) {
  const v = k / TABLE_SIZE;
  const c = v <= 0.0031308 ? v * 12.92 : 1.055 * v ** (1 / 2.4) - 0.055;
  FROM_LINEAR[k] = Math.max(0, Math.min(255, Math.round(c * 255)));
}

/** A linear-light value (0..1) to an sRGB byte (dark values, where the table is coarse, are computed). */
export function linearToByte(v: number): number {
  if (v <= 0) return 0;
  if (v >= 1) return 255;
  if (v < 0.02) {
    const c = v <= 0.0031308 ? v * 12.92 : 1.055 * v ** (1 / 2.4) - 0.055;
    return Math.round(c * 255);
  }
  return FROM_LINEAR[Math.round(v * TABLE_SIZE)];
}

const EPS = 1e-4;

/**
 * The colour of lightness L, hue (unit vector ha, hb) and the largest chroma up to `chroma` that sRGB can
 * show, as bytes in `out` [r, g, b]: chroma is given up (never lightness or hue) to stay in gamut, as a
 * photo editor's hue tool does. `tmp` is scratch space of 3.
 */
export function oklchToSrgbInGamut(
  L: number,
  chroma: number,
  ha: number,
  hb: number,
  out: Uint8Array | number[],
  tmp: Float64Array,
): void {
  const inGamut = (c: number) => {
    oklabToLinear(L, c * ha, c * hb, tmp);
    return tmp[0] >= -EPS && tmp[0] <= 1 + EPS && tmp[1] >= -EPS && tmp[1] <= 1 + EPS && tmp[2] >= -EPS && tmp[2] <= 1 + EPS;
  };
  let c = chroma;
  if (!inGamut(c)) {
    let lo = 0;
    let hi = c;
    // 8 halvings: the chroma to 1/256 of the asked one, below a visible step.
    for (let k = 0; k < 8; k++) {
      const mid = (lo + hi) / 2;
      if (inGamut(mid)) lo = mid;
      else hi = mid;
    }
    c = lo;
    oklabToLinear(L, c * ha, c * hb, tmp);
  }
  out[0] = linearToByte(tmp[0]);
  out[1] = linearToByte(tmp[1]);
  out[2] = linearToByte(tmp[2]);
}

/** A colour's OKLab lightness, chroma and hue (unit vector; [1, 0] for a grey). */
export function oklchOf([r, g, b]: Rgb): { L: number; C: number; ha: number; hb: number } {
  const lab = new Float64Array(3);
  srgbToOklab(r, g, b, lab);
  const C = Math.hypot(lab[1], lab[2]);
  return { L: lab[0], C, ha: C > 1e-6 ? lab[1] / C : 1, hb: C > 1e-6 ? lab[2] / C : 0 };
}
