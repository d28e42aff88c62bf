/**
 * Colours as prompts name them: CSS-style names and hex codes. The local-edit parser uses this to read
 * "fill it with red", "replace the background with #1e90ff" or "a gradient from navy to teal".
 */

/** An 8-bit sRGB colour. */
export type Rgb = readonly [number, number, number];

/**
 * The colour names understood in prompts: the common CSS names plus photographers' backdrop names.
 * Multi-word names are written with a space ("light gray"); the prompt normaliser spells grey as gray.
 */
export const NAMED_COLORS: Readonly<Record<string, Rgb>> = {
  black: [0, 0, 0],
  white: [255, 255, 255],
  gray: [128, 128, 128],
  'light gray': [211, 211, 211],
  'dark gray': [64, 64, 64],
  silver: [192, 192, 192],
  charcoal: [54, 69, 79],
  red: [220, 20, 20],
  'dark red': [139, 0, 0],
  crimson: [220, 20, 60],
  maroon: [128, 0, 0],
  pink: [255, 182, 193],
  'hot pink': [255, 105, 180],
  magenta: [255, 0, 255],
  purple: [128, 0, 128],
  violet: [238, 130, 238],
  lavender: [230, 230, 250],
  indigo: [75, 0, 130],
  blue: [30, 90, 220],
  'light blue': [173, 216, 230],
  'sky blue': [135, 206, 235],
  'dark blue': [0, 0, 139],
  navy: [0, 0, 128],
  'royal blue': [65, 105, 225],
  cyan: [0, 255, 255],
  turquoise: [64, 224, 208],
  teal: [0, 128, 128],
  green: [34, 139, 34],
  'light green': [144, 238, 144],
  'dark green': [0, 100, 0],
  lime: [50, 205, 50],
  olive: [128, 128, 0],
  mint: [189, 252, 201],
  yellow: [255, 215, 0],
  gold: [212, 175, 55],
  orange: [255, 140, 0],
  coral: [255, 127, 80],
  salmon: [250, 128, 114],
  peach: [255, 218, 185],
  beige: [245, 245, 220],
  cream: [255, 253, 208],
  ivory: [255, 255, 240],
  tan: [210, 180, 140],
  brown: [139, 69, 19],
  chocolate: [123, 63, 0],
};

const HEX = /^#([0-9a-f]{3}|[0-9a-f]{6})$/;

/**
 * Reads a colour name or hex code; null when the text is not a colour.
 *
 * @example parseColor('light gray') // [211, 211, 211]
 * @example parseColor('#f80')       // [255, 136, 0]
 */
export function parseColor(text: string): Rgb | null {
  const name = text
    .trim()
    .toLowerCase()
    .replace(/grey/g, 'gray')
    .replace(/[\s-]+/g, ' ');
  const named = NAMED_COLORS[name];
  if (named) return named;
  const hex = HEX.exec(name);
  if (!hex) return null;
  const digits = hex[1].length === 3 ? [...hex[1]].map((d) => d + d).join('') : hex[1];
  return [0, 2, 4].map((i) => parseInt(digits.slice(i, i + 2), 16)) as unknown as Rgb;
}

/** A regular-expression source matching any colour this module reads (longest names first). */
export const COLOR_PATTERN = [
  '#(?:[0-9a-f]{6}|[0-9a-f]{3})\\b',
  ...Object.keys(NAMED_COLORS)
    .sort((a, b) => b.length - a.length)
    .map((name) => name.replace(/ /g, '\\s+')),
].join('|');

/** Rec. 601 luma of a colour, 0..255. */
export function luma([r, g, b]: Rgb): number {
  return 0.299 * r + 0.587 * g + 0.114 * b;
}
