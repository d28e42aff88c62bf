import type { Rgb } from '../colors.js';
import { boxBlur, luminance, saturate, seededRandom, smoothstep, type Planes } from './planes.js';

/**
 * Film and print looks: per-channel curves, grain and tints, in place on RGB planes in 0..1. `amount`
 * is the prompt's strength (1 default, 0.5 "slightly", 2 "much"); `scale` the shorter side over 1000 px.
 */

/** Maps each channel from [0, 1] onto [lift, top] through a gentle S-curve of strength `contrast`. */
function channelCurves(planes: Planes, lift: Rgb, top: Rgb, contrast: number): void {
  const channels = [planes.r, planes.g, planes.b];
  for (let c = 0; c < 3; c++) {
    const plane = channels[c];
    const lo = lift[c] / 255;
    const hi = top[c] / 255;
    for (let i = 0; i < plane.length; i++) {
      const v = Math.min(1, Math.max(0, plane[i]));
      const s = v + contrast * (v * v * (3 - 2 * v) - v);
      plane[i] = lo + (hi - lo) * s;
    }
  }
}

/** Darkens toward the corners: 1 - strength * (r / rmax)^2.5. */
function vignette(planes: Planes, strength: number): void {
  const { width, height, r, g, b } = planes;
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const norm = 1 / (cx * cx + cy * cy);
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      const d = ((x - cx) * (x - cx) + (y - cy) * (y - cy)) * norm;
      const f = 1 - strength * d ** 1.25;
      r[i] *= f;
      g[i] *= f;
      b[i] *= f;
    }
  }
}

/** An old 70s print: faded warm blacks, creamy highlights, less saturation, a slight vignette. */
export function seventies(planes: Planes, amount: number): void {
  const a = Math.min(2, amount);
  saturate(planes, Math.max(0.3, 1 - 0.32 * a));
  channelCurves(planes, [Math.round(42 * a), Math.round(28 * a), Math.round(12 * a)], [255, 238 - 6 * a, 200 - 18 * a], 0.15);
  vignette(planes, 0.18 * a);
}

/** A Polaroid: lifted, cyan-green shadows, warm highlights, a little less saturation. */
export function polaroid(planes: Planes, amount: number): void {
  const a = Math.min(2, amount);
  saturate(planes, Math.max(0.4, 1 - 0.15 * a));
  const lift: Rgb = [Math.round(14 * a), Math.round(34 * a), Math.round(32 * a)];
  channelCurves(planes, lift, [255, 248 - 3 * a, 226 - 10 * a], 0.25);
  vignette(planes, 0.08 * a);
}

/** Cross-processing (slide film in negative chemistry): hard red and green, flat blue, yellow highlights. */
export function crossProcess(planes: Planes, amount: number): void {
  const a = Math.min(2, amount);
  const curve = (v: number, k: number) => v + k * (v * v * (3 - 2 * v) - v);
  const { r, g, b } = planes;
  for (let i = 0; i < r.length; i++) {
    r[i] = curve(Math.min(1, Math.max(0, r[i])), 0.7 * a);
    g[i] = curve(Math.min(1, Math.max(0, g[i])), 0.45 * a) * (1 + 0.03 * a);
    // Blue squeezed into a band: shadows turn blue-teal, highlights yellow.
    b[i] = 0.1 * a + b[i] * (1 - 0.28 * a);
  }
  saturate(planes, 1 + 0.12 * a);
}

/** Film grain: luminance noise of film-like size, strongest in the mid-tones, deterministic. */
export function filmGrain(planes: Planes, scale: number, amount: number): void {
  const { width, height, r, g, b } = planes;
  const random = seededRandom(width * 31 + height * 17 + 3);
  const noise = new Float32Array(width * height);
  // Roughly Gaussian (sum of three uniforms), then clumped over ~1-2 px at 1 MP as silver grains are.
  for (let i = 0; i < noise.length; i++) noise[i] = random() + random() + random() - 1.5;
  const radius = Math.max(0, Math.round(0.8 * scale));
  const clumped = radius > 0 ? boxBlur(noise, width, height, radius) : noise;
  // Blurring narrows the noise; restore its spread so the strength does not depend on the size.
  let variance = 0;
  for (let i = 0; i < clumped.length; i += 7) variance += clumped[i] * clumped[i];
  const std = Math.sqrt(variance / Math.ceil(clumped.length / 7)) || 1;
  const grey = luminance(planes);
  const strength = 0.035 * Math.min(3, amount);
  for (let i = 0; i < r.length; i++) {
    const y = grey[i];
    const weight = 0.35 + 2.6 * y * (1 - y);
    const n = (clumped[i] / std) * strength * weight;
    r[i] += n;
    g[i] += n;
    b[i] += n;
  }
}

/** Two colours mapped on luminance (stretched to its 1st..99th percentiles): dark to `shadow`, light to `highlight`. */
export function duotone(planes: Planes, shadow: Rgb, highlight: Rgb): void {
  const grey = luminance(planes);
  const sorted = grey.filter((_, i) => i % 11 === 0).sort();
  const lo = sorted[Math.floor(sorted.length * 0.01)] ?? 0;
  const hi = sorted[Math.floor(sorted.length * 0.99)] ?? 1;
  const span = Math.max(0.05, hi - lo);
  const { r, g, b } = planes;
  for (let i = 0; i < r.length; i++) {
    const t = smoothstep(0, 1, Math.min(1, Math.max(0, (grey[i] - lo) / span)));
    r[i] = (shadow[0] + (highlight[0] - shadow[0]) * t) / 255;
    g[i] = (shadow[1] + (highlight[1] - shadow[1]) * t) / 255;
    b[i] = (shadow[2] + (highlight[2] - shadow[2]) * t) / 255;
  }
}

/**
 * Day for night, the cinematographer's grade: exposure down about two stops with the highlights pressed
 * hardest (the bright sky is what gives a daytime shot away), colour mostly drained, a cool moonlit blue,
 * and the lights kept: pixels much brighter than their surroundings (lamps, lit windows, signs) keep
 * their own brightness and colour, as lights do at night.
 */
export function dayForNight(planes: Planes, scale: number, amount: number): void {
  const a = Math.min(2, amount);
  const { width, height, r, g, b } = planes;
  const grey = luminance(planes);
  const bright = new Float32Array(grey.length);
  for (let i = 0; i < grey.length; i++) bright[i] = grey[i] > 0.75 ? 1 : 0;
  // The share of bright pixels around each one: a light is a small spot of them among darker ones.
  const brightAround = boxBlur(bright, width, height, Math.max(3, Math.round(14 * scale)));
  const original = [r.slice(), g.slice(), b.slice()];
  saturate(planes, Math.max(0.15, 1 - 0.5 * a));
  const gain = 0.36 / (0.75 + 0.25 * a);
  const power = 1.45 + 0.15 * a;
  const moonlight: Rgb = [0.72, 0.88, 1.2];
  const channels = [r, g, b];
  for (let i = 0; i < r.length; i++) {
    const keep = smoothstep(0.85, 0.95, grey[i]) * (1 - smoothstep(0.12, 0.3, brightAround[i]));
    for (let c = 0; c < 3; c++) {
      const v = Math.min(1, Math.max(0, channels[c][i]));
      const night = moonlight[c] * gain * v ** power;
      channels[c][i] = night + keep * (original[c][i] - night);
    }
  }
  vignette(planes, 0.25);
}
