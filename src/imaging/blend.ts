import type { Rgb } from './colors.js';

/**
 * The one blending kernel every region edit goes through (masked tone edits, background replacement,
 * overlays, fills). Pure typed-array code, so it can run in the imaging worker pool.
 *
 * The rule that makes edits honest: where the weight is 0 the base pixel is copied untouched, so
 * everything outside the edited region is bit-identical to the input; where it is 255 the source pixel
 * replaces it; in between the two are mixed linearly (grey mask = partial strength).
 */

/** Where a source sits inside the base, in base pixels. The source and the weight are `width` x `height`. */
export interface BlendRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface BlendInput {
  base: Uint8Array;
  baseWidth: number;
  baseHeight: number;
  baseChannels: 3 | 4;
  /** Pixels to mix in, `rect`-sized: RGB (treated as opaque) or RGBA (its alpha is mixed too), or a flat colour. */
  source: { data: Uint8Array; channels: 3 | 4 } | { color: Rgb };
  /** One byte per pixel of `rect`: 0 keeps the base, 255 takes the source. */
  weight: Uint8Array;
  /** Defaults to the whole base. */
  rect?: BlendRect;
}

/**
 * Returns a new base-sized buffer with `source` mixed into `base` by `weight`.
 *
 * @example
 * const out = blendByWeight({ base: img.data, baseWidth: img.width, baseHeight: img.height,
 *   baseChannels: 3, source: { color: [255, 0, 0] }, weight: mask });
 */
export function blendByWeight(input: BlendInput): Uint8Array {
  const { base, baseWidth, baseHeight, baseChannels: bc, weight } = input;
  const rect = input.rect ?? { left: 0, top: 0, width: baseWidth, height: baseHeight };
  checkRect(rect, baseWidth, baseHeight, weight.length);
  const out = Uint8Array.from(base);
  const color = 'color' in input.source ? input.source.color : null;
  const src = 'data' in input.source ? input.source.data : null;
  const sc = 'data' in input.source ? input.source.channels : 3;
  if (src && src.length !== rect.width * rect.height * sc) throw new Error('blend: source size does not match its rect');

  for (let y = 0; y < rect.height; y++) {
    let w = y * rect.width;
    let o = ((rect.top + y) * baseWidth + rect.left) * bc;
    let s = w * sc;
    for (let x = 0; x < rect.width; x++, w++, o += bc, s += sc) {
      const a = weight[w];
      if (a === 0) continue;
      const r = color ? color[0] : src![s];
      const g = color ? color[1] : src![s + 1];
      const b = color ? color[2] : src![s + 2];
      if (a === 255) {
        out[o] = r;
        out[o + 1] = g;
        out[o + 2] = b;
        if (bc === 4) out[o + 3] = sc === 4 ? src![s + 3] : 255;
        continue;
      }
      const k = 255 - a;
      // (x * 255 + 127) / 255 rounding, done in integers so every platform gives the same bytes.
      out[o] = ((base[o] * k + r * a + 127) / 255) | 0;
      out[o + 1] = ((base[o + 1] * k + g * a + 127) / 255) | 0;
      out[o + 2] = ((base[o + 2] * k + b * a + 127) / 255) | 0;
      if (bc === 4) out[o + 3] = ((base[o + 3] * k + (sc === 4 ? src![s + 3] : 255) * a + 127) / 255) | 0;
    }
  }
  return out;
}

function checkRect(rect: BlendRect, width: number, height: number, weightLength: number): void {
  const inside = rect.left >= 0 && rect.top >= 0 && rect.left + rect.width <= width && rect.top + rect.height <= height;
  if (!inside) throw new Error('blend: rect lies outside the base');
  if (weightLength !== rect.width * rect.height) throw new Error('blend: weight size does not match its rect');
}

/** Element-wise minimum, used to clamp a feathered mask under the original so it only shrinks inward. */
export function minPlanes(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length !== b.length) throw new Error('minPlanes: sizes differ');
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = Math.min(a[i], b[i]);
  return out;
}

/** Multiplies two weights (e.g. an overlay's alpha by a mask), 255 being 1. */
export function multiplyPlanes(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length !== b.length) throw new Error('multiplyPlanes: sizes differ');
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = ((a[i] * b[i] + 127) / 255) | 0;
  return out;
}
