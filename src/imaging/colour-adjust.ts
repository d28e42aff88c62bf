/**
 * Per-pixel colour adjustments that keep hue: brightness and white-balance gains, exposure in stops,
 * shadows / highlights curves and vibrance. Pure typed-array kernels for the imaging workers (see
 * edit-tasks.ts); alpha, when present, is passed through.
 *
 * Why not sharp's `linear` / `modulate`: they clip each channel on its own, so a bright orange pixel
 * pushed past 255 loses red first and turns yellow-green ((254,203,143) came out as (233,233,155) after
 * "brighter and warmer, then a vignette"). Here every result that leaves the gamut is brought back by
 * mixing it toward the grey of its own luminance until its largest channel fits: that keeps the hue
 * angle and the luminance, giving up only saturation, as a highlight naturally does.
 */

export type ColourAdjust =
  /** Multiplies R, G, B by the gains, in sRGB values (brightness: equal gains; warmer: red up, blue down). */
  | { kind: 'gains'; gains: [number, number, number] }
  /** Multiplies linear light by 2^stops, as a camera's exposure does. */
  | { kind: 'exposure'; stops: number }
  /** Lifts (amount > 0) or lowers (amount < 0) one tonal range with a smooth curve of luminance. */
  | { kind: 'tonal-range'; range: 'shadows' | 'highlights'; amount: number }
  /** Saturation that spares skin tones and already-saturated colours; amount > 0 more, < 0 less. */
  | { kind: 'vibrance'; amount: number };

const LR = 0.2126;
const LG = 0.7152;
const LB = 0.0722;

const TO_LINEAR = new Float32Array(256);
for (let v = 0; v < 256; v++) {
  const c = v / 255;
  TO_LINEAR[v] = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

function fromLinear(l: number): number {
  const c = l <= 0.0031308 ? l * 12.92 : 1.055 * l ** (1 / 2.4) - 0.055;
  return c * 255;
}

/**
 * Writes (r, g, b) into out at i, brought into the gamut without turning its hue: mostly by scaling the
 * three channels together (a clipped highlight keeps its colour, as joint clipping does), partly by
 * mixing toward the grey of its luminance (so a brightened highlight still gets a little brighter,
 * paler, as film does). Both moves keep the hue angle, and so does any mix of them.
 */
function fit(out: Uint8Array, i: number, r: number, g: number, b: number, top: number, encode: (v: number) => number): void {
  const max = Math.max(r, g, b);
  if (max > top) {
    let y = LR * r + LG * g + LB * b;
    if (y >= top) {
      r = g = b = top;
    } else {
      const scale = top / max;
      const t = (top - y) / (max - y);
      y = Math.max(0, y);
      r = JOINT * r * scale + (1 - JOINT) * (y + (r - y) * t);
      g = JOINT * g * scale + (1 - JOINT) * (y + (g - y) * t);
      b = JOINT * b * scale + (1 - JOINT) * (y + (b - y) * t);
    }
  }
  const min = Math.min(r, g, b);
  if (min < 0) {
    const y = Math.max(0, LR * r + LG * g + LB * b);
    const t = y / (y - min);
    r = y + (r - y) * t;
    g = y + (g - y) * t;
    b = y + (b - y) * t;
  }
  out[i] = clampByte(encode(r));
  out[i + 1] = clampByte(encode(g));
  out[i + 2] = clampByte(encode(b));
}

/** Share of an out-of-gamut colour brought back by joint scaling (the rest by desaturation). */
const JOINT = 0.75;

function clampByte(v: number): number {
  return v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
}

const identity = (v: number) => v;

/** The luminance curve of a tonal-range edit: y in [0, 1] to y' in [0, 1], y' = y at 0 and 1. */
export function tonalCurve(range: 'shadows' | 'highlights', amount: number): (y: number) => number {
  const gamma = amount >= 0 ? 1 / (1 + 0.6 * amount) : 1 + 0.6 * -amount;
  if (range === 'shadows') {
    // Weighted toward the dark end: (1 - y)^2 is 1 at black and 0 at white, so whites never move.
    return (y) => (1 - (1 - y) ** 2) * y + (1 - y) ** 2 * y ** gamma;
  }
  return (y) => (1 - y * y) * y + y * y * y ** gamma;
}

/**
 * @example adjustColours(pixels, 3, { kind: 'gains', gains: [1.1, 1.02, 0.9] }) // warmer, hue kept where it clips
 */
export function adjustColours(data: Uint8Array, channels: number, op: ColourAdjust): Uint8Array {
  const out = new Uint8Array(data.length);
  if (channels === 4) for (let i = 3; i < data.length; i += 4) out[i] = data[i];
  if (op.kind === 'gains') {
    const [gr, gg, gb] = op.gains;
    for (let i = 0; i < data.length; i += channels) fit(out, i, data[i] * gr, data[i + 1] * gg, data[i + 2] * gb, 255, identity);
  } else if (op.kind === 'exposure') {
    const gain = 2 ** op.stops;
    for (let i = 0; i < data.length; i += channels) {
      fit(out, i, TO_LINEAR[data[i]] * gain, TO_LINEAR[data[i + 1]] * gain, TO_LINEAR[data[i + 2]] * gain, 1, fromLinear);
    }
  } else if (op.kind === 'tonal-range') {
    // A table of the curve over 8-bit luminance; each pixel is scaled by y'/y, so its hue stays.
    const curve = tonalCurve(op.range, op.amount);
    const ratio = new Float32Array(256);
    for (let v = 1; v < 256; v++) ratio[v] = (255 * curve(v / 255)) / v;
    for (let i = 0; i < data.length; i += channels) {
      const r = data[i],
        g = data[i + 1],
        b = data[i + 2];
      const y = Math.round(LR * r + LG * g + LB * b);
      if (y === 0) {
        const lift = 255 * curve(0.5 / 255);
        fit(out, i, r + lift, g + lift, b + lift, 255, identity);
        continue;
      }
      const k = ratio[y];
      fit(out, i, r * k, g * k, b * k, 255, identity);
    }
  } else {
    vibrance(data, channels, op.amount, out);
  }
  return out;
}

/** How much a pixel looks like skin (0..1): a warm hue between red and yellow at moderate saturation. */
function skinLikeness(r: number, g: number, b: number): number {
  if (!(r > g && g >= b) || r < 60) return 0;
  const hue = (60 * (g - b)) / (r - b || 1); // 0 = red, 60 = yellow
  const saturation = (r - b) / r;
  if (hue < 8 || hue > 45 || saturation < 0.15 || saturation > 0.7) return 0;
  return 1;
}

function vibrance(data: Uint8Array, channels: number, amount: number, out: Uint8Array): void {
  for (let i = 0; i < data.length; i += channels) {
    const r = data[i],
      g = data[i + 1],
      b = data[i + 2];
    const max = Math.max(r, g, b);
    const saturation = max === 0 ? 0 : (max - Math.min(r, g, b)) / max;
    // Dull colours move most, vivid ones hardly; skin moves a quarter as much.
    const spare = (1 - saturation) ** 2 * (1 - 0.75 * skinLikeness(r, g, b));
    const k = Math.max(0, 1 + 0.6 * amount * spare);
    const y = LR * r + LG * g + LB * b;
    fit(out, i, y + (r - y) * k, y + (g - y) * k, y + (b - y) * k, 255, identity);
  }
}
