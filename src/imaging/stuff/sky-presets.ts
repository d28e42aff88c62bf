import type { Rgb } from '../colors.js';

/**
 * The skies local-edit can paint in, each a graded sky from the zenith to the horizon with the colour that
 * lights its clouds, and how the scene below changes to belong to it (the light of a low sun is warmer and
 * weaker; the blue hour is cool and dim). Colours picked from photographs of such skies, not invented.
 */

export const SKY_PRESETS = ['sunset', 'sunrise', 'clear', 'blue-hour', 'stormy'] as const;
export type SkyPreset = (typeof SKY_PRESETS)[number];

export interface SkyPalette {
  /** Colour stops from the top of the sky (0) to its horizon (1). */
  stops: Array<{ at: number; color: Rgb }>;
  /** The colour the sun lights clouds with. */
  cloud: Rgb;
  /** The scene below: channel gains (after the exposure), exposure factor and saturation factor. */
  relight: { gains: Rgb; exposure: number; saturation: number };
}

export const SKY_PALETTES: Record<SkyPreset, SkyPalette> = {
  sunset: {
    stops: [
      { at: 0, color: [52, 58, 118] },
      { at: 0.45, color: [168, 92, 112] },
      { at: 0.75, color: [240, 128, 72] },
      { at: 1, color: [255, 186, 92] },
    ],
    cloud: [255, 196, 150],
    relight: { gains: [1.08, 0.95, 0.78], exposure: 0.86, saturation: 1.05 },
  },
  sunrise: {
    stops: [
      { at: 0, color: [112, 118, 182] },
      { at: 0.4, color: [226, 158, 160] },
      { at: 0.75, color: [252, 180, 122] },
      { at: 1, color: [255, 212, 140] },
    ],
    cloud: [255, 220, 196],
    relight: { gains: [1.06, 0.98, 0.86], exposure: 0.94, saturation: 1.03 },
  },
  clear: {
    stops: [
      { at: 0, color: [38, 96, 196] },
      { at: 0.6, color: [92, 150, 222] },
      { at: 1, color: [172, 206, 236] },
    ],
    cloud: [250, 252, 255],
    relight: { gains: [1, 1, 1], exposure: 1.03, saturation: 1.04 },
  },
  'blue-hour': {
    stops: [
      { at: 0, color: [14, 24, 72] },
      { at: 0.6, color: [40, 62, 128] },
      { at: 1, color: [96, 110, 170] },
    ],
    cloud: [150, 160, 200],
    relight: { gains: [0.86, 0.93, 1.1], exposure: 0.72, saturation: 0.9 },
  },
  stormy: {
    stops: [
      { at: 0, color: [46, 52, 62] },
      { at: 0.7, color: [84, 92, 104] },
      { at: 1, color: [128, 134, 142] },
    ],
    cloud: [170, 176, 186],
    relight: { gains: [0.96, 0.98, 1.02], exposure: 0.84, saturation: 0.8 },
  },
};

/** The palette's colour at `t` (0 = top of the sky, 1 = horizon), linearly between stops. */
export function gradientAt(palette: SkyPalette, t: number): [number, number, number] {
  const { stops } = palette;
  if (t <= stops[0].at) return [...stops[0].color];
  for (let i = 1; i < stops.length; i++) {
    const b = stops[i];
    if (t <= b.at) {
      const a = stops[i - 1];
      const f = (t - a.at) / (b.at - a.at);
      return [0, 1, 2].map((k) => a.color[k] + f * (b.color[k] - a.color[k])) as [number, number, number];
    }
  }
  return [...stops[stops.length - 1].color];
}
