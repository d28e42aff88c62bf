import type { Rgb } from './colors.js';

/**
 * Pure typed-array measurements and per-pixel maps used by local edits. They run in the imaging worker
 * pool (see edit-tasks.ts), so nothing here may touch sharp, the filesystem or the event loop.
 */

/** The box holding every value above a threshold, with the weighted centre; null when nothing is above it. */
export interface PlaneBounds {
  left: number;
  top: number;
  /** Exclusive. */
  right: number;
  bottom: number;
  /** Pixels above the threshold. */
  count: number;
  centerX: number;
  centerY: number;
}

export function planeBounds(data: Uint8Array, width: number, height: number, threshold: number): PlaneBounds | null {
  let left = width;
  let top = height;
  let right = -1;
  let bottom = -1;
  let count = 0;
  let sum = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      const v = data[i];
      if (v <= threshold) continue;
      count++;
      sum += v;
      sx += v * x;
      sy += v * y;
      if (x < left) left = x;
      if (x > right) right = x;
      if (y < top) top = y;
      if (y > bottom) bottom = y;
    }
  }
  if (count === 0) return null;
  return { left, top, right: right + 1, bottom: bottom + 1, count, centerX: sx / sum, centerY: sy / sum };
}

/** Applies a 256-entry table to the colour channels of interleaved pixels (alpha, if any, is kept). */
export function applyLut(data: Uint8Array, channels: number, lut: Uint8Array): Uint8Array {
  const out = Uint8Array.from(data);
  for (let i = 0; i < out.length; i += channels) {
    out[i] = lut[out[i]];
    out[i + 1] = lut[out[i + 1]];
    out[i + 2] = lut[out[i + 2]];
  }
  return out;
}

/**
 * The per-channel median colour of the pixels inside `ring` (> 127) and outside `hole` (<= 127): the colour
 * that surrounds a masked region, used to fill it with a plain surface.
 */
export function ringMedianColor(data: Uint8Array, channels: number, hole: Uint8Array, ring: Uint8Array): Rgb | null {
  const histograms = [new Uint32Array(256), new Uint32Array(256), new Uint32Array(256)];
  let n = 0;
  for (let i = 0; i < hole.length; i++) {
    if (ring[i] <= 127 || hole[i] > 127) continue;
    if (channels === 4 && data[i * 4 + 3] < 128) continue;
    n++;
    for (let c = 0; c < 3; c++) histograms[c][data[i * channels + c]]++;
  }
  if (n === 0) return null;
  return histograms.map((h) => {
    let seen = 0;
    for (let v = 0; v < 256; v++) {
      seen += h[v];
      if (seen * 2 >= n) return v;
    }
    return 255;
  }) as unknown as Rgb;
}

/** What layer classification looks at; fractions are of all pixels unless noted. */
export interface LayerStats {
  pixels: number;
  /** Alpha <= 8. */
  transparent: number;
  /** Alpha <= 8 or >= 247: a hard-edged cut-out. */
  alphaTwoTone: number;
  /** Of pixels with alpha >= 128: max - min channel > 24, i.e. visibly coloured. */
  colourful: number;
  /** Of pixels with alpha >= 128: luma <= 24 or >= 231. */
  lumaTwoTone: number;
  /** Of pixels with alpha >= 128: luma >= 128. */
  light: number;
  /** Mean absolute difference to the base over pixels with alpha >= 128; null without a base. */
  baseDifference: number | null;
}

/**
 * Measures a layer. `base`, when given, is the base image resized to the layer's size (3 or 4 channels),
 * used to recognise OpenAI-style masks, which are usually the photo itself with a hole erased in it.
 */
export function layerStats(data: Uint8Array, channels: number, base: { data: Uint8Array; channels: number } | null): LayerStats {
  const pixels = data.length / channels;
  let transparent = 0;
  let alphaTwoTone = 0;
  let opaque = 0;
  let colourful = 0;
  let lumaTwoTone = 0;
  let light = 0;
  let difference = 0;
  for (let p = 0, i = 0; p < pixels; p++, i += channels) {
    const a = channels === 4 ? data[i + 3] : 255;
    if (a <= 8) transparent++;
    if (a <= 8 || a >= 247) alphaTwoTone++;
    if (a < 128) continue;
    opaque++;
    const r = data[i];
    const g = data[i + 1];
    const b = data[i + 2];
    const max = r > g ? Math.max(r, b) : Math.max(g, b);
    const min = r < g ? Math.min(r, b) : Math.min(g, b);
    if (max - min > 24) colourful++;
    const y = 0.299 * r + 0.587 * g + 0.114 * b;
    if (y <= 24 || y >= 231) lumaTwoTone++;
    if (y >= 128) light++;
    if (base) {
      const j = p * base.channels;
      difference += (Math.abs(r - base.data[j]) + Math.abs(g - base.data[j + 1]) + Math.abs(b - base.data[j + 2])) / 3;
    }
  }
  const ofOpaque = (n: number) => (opaque === 0 ? 0 : n / opaque);
  return {
    pixels,
    transparent: transparent / pixels,
    alphaTwoTone: alphaTwoTone / pixels,
    colourful: ofOpaque(colourful),
    lumaTwoTone: ofOpaque(lumaTwoTone),
    light: ofOpaque(light),
    baseDifference: base && opaque > 0 ? difference / opaque : null,
  };
}
