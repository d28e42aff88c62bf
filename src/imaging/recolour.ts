import type { Rgb } from './colors.js';
import { oklchOf, oklchToSrgbInGamut, srgbToOklab } from './oklab.js';

/**
 * Colour changes of a region that keep its shading: the work is done in OKLab, where hue and chroma can
 * change while lightness L, and so the light, the folds and the texture of the thing, stays (or moves as a
 * whole, keeping every pixel's order and local detail). Mixed in by a soft weight (the thing's matte), so
 * it follows the thing's outline; where the weight is 0 the pixel is bit-identical. Never a flat fill.
 *
 * - `to`: "make the ball red": every pixel takes the target's hue; a colourful thing keeps its own chroma
 *   variation scaled to the target's; a near-neutral thing ("the wings blue instead of black") gets a tint
 *   whose strength follows its lightness, so dark stays darker than light. Lightness moves half-way toward
 *   the target's (a monotone map, so the order of lightness is kept). Black, white and grey targets
 *   desaturate and move the lightness instead.
 * - `more`: "make the grass greener": hue turned part-way toward the target and chroma raised; L kept.
 * - `whiten`: teeth: yellow removed from light, low-chroma pixels, which are lifted a little; lips and gums
 *   (reds) are left alone.
 * - `red-eye`: pupils that flash made red: the red pixels lose their chroma and are darkened.
 * - `autumn`: leaves turned: green and yellow-green hues turn to autumn's, darker leaves toward red and
 *   lighter ones toward orange and yellow (so a canopy gets the mix a real one has), chroma raised a little,
 *   lightness kept; leaves in deep shade (dark, dull, grey to purple under a daylight white balance) turn a
 *   dark red-brown; light greys and other colours are left as they are.
 */
export type RecolourOp =
  | { kind: 'to'; color: Rgb }
  | { kind: 'more'; color: Rgb; amount: number }
  | { kind: 'whiten'; amount: number }
  | { kind: 'red-eye' }
  | { kind: 'autumn'; amount: number };

export interface RecolourInput {
  data: Uint8Array;
  channels: number;
  /** One byte per pixel: how strongly each pixel is changed (the thing's soft matte). */
  weight: Uint8Array;
  op: RecolourOp;
}

/** Measures inside the region (weight >= 128) for the step's own check of its result. */
export interface RecolourStats {
  pixels: number;
  /** Pixels the change really took (teeth among the lips, red pupils, the paint among the tyres). */
  selected: number;
  /** Standard deviation of luma (0..255) before and after: texture kept or collapsed. */
  lumaStdBefore: number;
  lumaStdAfter: number;
  lumaMeanBefore: number;
  lumaMeanAfter: number;
  /** Mean OKLab distance between before and after (0: nothing changed; 0.02 is a just-visible change). */
  meanChange: number;
  /** `to` with a chromatic target: the cosine between the target hue and the result's mean hue. */
  hueAgreement: number;
}

export interface RecolourResult {
  data: Uint8Array;
  stats: RecolourStats;
}

/** Below this OKLab chroma a colour reads as grey. */
const NEUTRAL = 0.035;
/** Above this OKLab chroma a pixel counts toward a thing's own colour. */
const COLOURFUL = 0.06;

export function recolour({ data, channels, weight, op }: RecolourInput): RecolourResult {
  const n = weight.length;
  const lab = new Float64Array(3);
  const tmp = new Float64Array(3);
  const rgb = [0, 0, 0];
  const region = measureRegion(data, channels, weight, lab);
  const target = 'color' in op ? oklchOf(op.color) : null;
  const chromatic = target !== null && target.C >= NEUTRAL;
  // `to`: the lightness map, monotone, moving the changed pixels' mean part-way toward the target's lightness.
  let darken = 1;
  let lighten = 1;
  if (op.kind === 'to' && target) {
    const newMean = region.meanL + (chromatic ? 0.5 : 0.75) * (target.L - region.meanL);
    if (newMean < region.meanL) darken = newMean / Math.max(region.meanL, 1e-3);
    else lighten = (1 - newMean) / Math.max(1 - region.meanL, 1e-3);
  }
  const out = new Uint8Array(data);
  const stats = { before: new Welford(), after: new Welford() };
  let change = 0;
  let selected = 0;
  let hueA = 0;
  let hueB = 0;
  for (let p = 0; p < n; p++) {
    const w = weight[p];
    if (w === 0) continue;
    const i = p * channels;
    srgbToOklab(data[i], data[i + 1], data[i + 2], lab);
    const [L, a, b] = lab;
    const C = Math.hypot(a, b);
    const ha = C > 1e-6 ? a / C : 1;
    const hb = C > 1e-6 ? b / C : 0;
    // The new colour as lightness and (a, b), and how much of it this pixel takes (its selection).
    let nL = L;
    let na = a;
    let nb = b;
    let take = 1;
    if (op.kind === 'to' && target) {
      take = region.select(C, ha, hb);
      nL = darken < 1 ? L * darken : 1 - (1 - L) * lighten;
      let nC: number;
      if (!chromatic) nC = C * 0.1 + target.C;
      else if (region.dominant) nC = Math.min(0.4, (C * target.C) / region.dominant.meanC);
      else {
        // A tint whose strength follows lightness: full at the target's own lightness, less toward black and white.
        const shape = Math.min(1, nL / Math.max(target.L, 1e-3), (1 - nL) / Math.max(1 - target.L, 1e-3));
        nC = target.C * Math.max(0, shape) ** 0.7;
      }
      const useTargetHue = chromatic || C < 1e-6;
      na = nC * (useTargetHue ? target.ha : ha);
      nb = nC * (useTargetHue ? target.hb : hb);
    } else if (op.kind === 'more' && target) {
      const ua = C < 0.01 ? target.ha : ha;
      const ub = C < 0.01 ? target.hb : hb;
      // Turn the hue part of the way toward the target; colours opposite to it turn less.
      const cos = ua * target.ha + ub * target.hb;
      const turn = Math.min(1, 0.35 * op.amount) * (0.5 + 0.5 * cos);
      const ma = ua + turn * (target.ha - ua);
      const mb = ub + turn * (target.hb - ub);
      const norm = Math.hypot(ma, mb) || 1;
      const nC = C * (1 + 0.3 * op.amount) + 0.015 * op.amount * (0.5 + 0.5 * cos);
      na = (nC * ma) / norm;
      nb = (nC * mb) / norm;
    } else if (op.kind === 'whiten') {
      // Teeth are lighter and duller than the lips and skin around them in the mouth region.
      take =
        Math.min(1, op.amount) *
        smoothstep(region.meanL, region.meanL + 0.06, L) *
        (1 - smoothstep(0.5 * region.meanC, 0.85 * region.meanC, C));
      nL = L + 0.1 * (1 - L);
      na = a * 0.25;
      nb = b * 0.25;
    } else if (op.kind === 'autumn') {
      const degrees = (Math.atan2(b, a) * 180) / Math.PI;
      // OKLab green is near 140 degrees, yellow near 110: the band of leaves, fading out at its ends.
      take =
        Math.min(1, op.amount) * smoothstep(85, 105, degrees) * (1 - smoothstep(170, 190, degrees)) * smoothstep(0.015, 0.045, C);
      const turned = ((28 + 50 * smoothstep(0.3, 0.75, L)) * Math.PI) / 180;
      const nC = Math.min(0.25, C * 1.35 + 0.02);
      na = nC * Math.cos(turned);
      nb = nC * Math.sin(turned);
      // Leaves in deep shade, which a daylight white balance leaves dark purple-grey rather than green (the
      // foliage finder takes them in, foliage-shade.ts): turned to a dark red-brown, so the canopy's shade
      // turns with its lit leaves instead of staying a cool hole in it. Only dark, dull, purple to grey.
      const shade = (1 - take) * Math.min(1, op.amount) * shadedLeaf(L, C, degrees);
      if (shade > 0) {
        const sC = Math.min(0.09, 0.03 + 0.8 * C);
        const brown = (32 * Math.PI) / 180;
        na = (take * na + shade * sC * Math.cos(brown)) / (take + shade);
        nb = (take * nb + shade * sC * Math.sin(brown)) / (take + shade);
        take += shade;
      }
    } else if (op.kind === 'red-eye') {
      take = a > 0.08 && ha > 0.75 ? smoothstep(0.08, 0.14, a) : 0;
      nL = L * 0.45;
      na = a * 0.1;
      nb = b * 0.1;
    }
    const mL = L + take * (nL - L);
    const ma = a + take * (na - a);
    const mb = b + take * (nb - b);
    const mC = Math.hypot(ma, mb);
    oklchToSrgbInGamut(mL, mC, mC > 1e-6 ? ma / mC : 1, mC > 1e-6 ? mb / mC : 0, rgb, tmp);
    for (let c = 0; c < 3; c++) out[i + c] = w === 255 ? rgb[c] : Math.round(data[i + c] + ((rgb[c] - data[i + c]) * w) / 255);
    if (w < 128) continue;
    if (take > 0.5) selected++;
    stats.before.add(0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2]);
    stats.after.add(0.299 * out[i] + 0.587 * out[i + 1] + 0.114 * out[i + 2]);
    // Measured on the colour asked for (before the gamut took chroma back): cheaper than converting the
    // output again, and the hue check still sees what the gamut did through the luma and chroma it kept.
    change += Math.hypot(mL - L, ma - a, mb - b);
    if (take > 0.5) {
      hueA += ma;
      hueB += mb;
    }
  }
  const hueNorm = Math.hypot(hueA, hueB);
  return {
    data: out,
    stats: {
      pixels: region.pixels,
      selected,
      lumaStdBefore: stats.before.std(),
      lumaStdAfter: stats.after.std(),
      lumaMeanBefore: stats.before.average(),
      lumaMeanAfter: stats.after.average(),
      meanChange: region.pixels > 0 ? change / region.pixels : 0,
      hueAgreement: chromatic && op.kind === 'to' && hueNorm > 0 ? (hueA * target.ha + hueB * target.hb) / hueNorm : 1,
    },
  };
}

/**
 * How much a pixel looks like a leaf in shade under a daylight white balance: dark (OKLab L under about
 * 0.5), dull (chroma under about 0.1) and grey or purple to violet (hue between about -110 and 0 degrees);
 * a blue sign, a red shirt, a grey wall in light are not.
 */
function shadedLeaf(L: number, C: number, degrees: number): number {
  const dark = 1 - smoothstep(0.42, 0.52, L);
  const dull = 1 - smoothstep(0.08, 0.11, C);
  const purple = smoothstep(-120, -100, degrees) * (1 - smoothstep(0, 15, degrees));
  const hue = Math.max(1 - smoothstep(0.015, 0.035, C), purple);
  return dark * dull * hue;
}

/**
 * The dominant colour of the pixels a weight plane marks (weight >= 128), as an OKLab hue direction, or null
 * when too few of them are colourful to have one. The recolour step compares the thing's outline's colour
 * with its body's (recolour-step.ts).
 *
 * @example dominantHue(photo.data, 3, lowerBodyOfBox) // { ha: 0.9, hb: 0.4, meanC: 0.13, meanL: 0.45 }
 */
export function dominantHue(data: Uint8Array, channels: number, weight: Uint8Array) {
  return measureRegion(data, channels, weight, new Float64Array(3)).dominant;
}

const BINS = 36;
/** OKLab chroma of a strong colour (paint), as against a faint reflection. */
const STRONG = 0.12;

/**
 * The region's mean lightness and chroma and, when enough of it is colourful, its dominant hue: the paint
 * of a car, not its tyres and chrome. A `to` change then takes the pixels of that hue and leaves the
 * neutral parts (tyres, glass, highlights) as they are; a thing with no dominant colour is tinted whole.
 */
function measureRegion(data: Uint8Array, channels: number, weight: Uint8Array, lab: Float64Array) {
  let pixels = 0;
  let sumL = 0;
  let sumC = 0;
  let colourful = 0;
  const binWeight = new Float64Array(BINS);
  const binA = new Float64Array(BINS);
  const binB = new Float64Array(BINS);
  const binL = new Float64Array(BINS);
  const binC = new Float64Array(BINS);
  const binN = new Float64Array(BINS);
  for (let p = 0; p < weight.length; p++) {
    if (weight[p] < 128) continue;
    const i = p * channels;
    srgbToOklab(data[i], data[i + 1], data[i + 2], lab);
    const C = Math.hypot(lab[1], lab[2]);
    pixels++;
    sumL += lab[0];
    sumC += C;
    if (C < COLOURFUL) continue;
    colourful++;
    const bin = Math.floor(((Math.atan2(lab[2], lab[1]) / (2 * Math.PI) + 1) % 1) * BINS) % BINS;
    binWeight[bin] += C;
    binA[bin] += lab[1];
    binB[bin] += lab[2];
    binL[bin] += lab[0];
    binC[bin] += C;
    binN[bin]++;
  }
  let dominant: { ha: number; hb: number; meanC: number; meanL: number } | null = null;
  if (pixels > 0 && colourful >= 0.15 * pixels) {
    let best = 0;
    let bestWeight = -1;
    for (let k = 0; k < BINS; k++) {
      const around = binWeight[(k + BINS - 1) % BINS] + binWeight[k] + binWeight[(k + 1) % BINS];
      if (around > bestWeight) [best, bestWeight] = [k, around];
    }
    let a = 0;
    let b = 0;
    let l = 0;
    let c = 0;
    let count = 0;
    for (const k of [(best + BINS - 1) % BINS, best, (best + 1) % BINS]) {
      a += binA[k];
      b += binB[k];
      l += binL[k];
      c += binC[k];
      count += binN[k];
    }
    const norm = Math.hypot(a, b) || 1;
    // A colour of its own covers a good part of the thing, or is strong (red paint among a motorcycle's
    // chrome); a few faint reflections of other things (on a silver car) are not its colour.
    const meanC = c / count;
    if (count >= 0.2 * pixels || (count >= 0.05 * pixels && meanC >= STRONG))
      dominant = { ha: a / norm, hb: b / norm, meanC: c / count, meanL: l / count };
  }
  const meanL = dominant ? dominant.meanL : pixels > 0 ? sumL / pixels : 0.5;
  return {
    pixels,
    meanL,
    meanC: pixels > 0 ? sumC / pixels : 0,
    dominant,
    /** How much a pixel belongs to the dominant colour (1 for every pixel when there is none). */
    select(C: number, ha: number, hb: number): number {
      if (!dominant) return 1;
      const cos = ha * dominant.ha + hb * dominant.hb;
      return smoothstep(0.5 * COLOURFUL, COLOURFUL, C) * smoothstep(0.64, 0.87, cos);
    },
  };
}

function smoothstep(edge0: number, edge1: number, x: number): number {
  const t = Math.max(0, Math.min(1, (x - edge0) / (edge1 - edge0)));
  return t * t * (3 - 2 * t);
}

/** Running mean and variance (Welford), so one pass suffices. */
class Welford {
  private n = 0;
  private mean = 0;
  private m2 = 0;
  add(x: number): void {
    this.n++;
    const d = x - this.mean;
    this.mean += d / this.n;
    this.m2 += d * (x - this.mean);
  }
  average(): number {
    return this.mean;
  }
  std(): number {
    return this.n > 1 ? Math.sqrt(this.m2 / (this.n - 1)) : 0;
  }
}
