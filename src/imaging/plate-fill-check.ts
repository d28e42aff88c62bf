import { fillProblem, type FillCheck } from './fill-check.js';
import type { RawImage } from './raw-image.js';
import type { Box } from './sign-plate.js';

/**
 * The self-check of text filled with its plate's surface (plate-text.ts): the fill is judged against the
 * plate's own pixels, as they were before the fill (between the letters too), not against a ring around the
 * text's boxes, which past a sign's edge is foliage. The rules are fill-check.ts's: the fill's brightness
 * within the plate's 10..90% range (with its margin), and a smooth fill refused where the plate is textured
 * (a plane of one colour on a wood grain or a brick wall is a smear, however well it matches the colour).
 * The fill is one plane, as smooth in one part as in another, so the median over all of it says what the
 * tiles of fill-check.ts would. Pure, small (the plate's window), on the caller's thread.
 */

export interface PlateFillInput {
  /** The picture before the fill, and after it (same size, same channels). */
  before: RawImage;
  after: RawImage;
  /** One byte per pixel, > 127: the filled text. */
  hole: Uint8Array;
  /** One byte per pixel, > 127: the plate's own pixels (read in `before`). */
  surface: Uint8Array;
  /** The box holding both. */
  window: Box;
}

const luma = (d: Uint8Array, p: number) => 0.299 * d[p] + 0.587 * d[p + 1] + 0.114 * d[p + 2];

export function checkPlateFill(input: PlateFillInput): FillCheck {
  const { before, after, hole, surface, window } = input;
  const { width, channels } = before;
  const plateValues: number[] = [];
  const plateTexture = new Uint32Array(512);
  const holeTexture = new Uint32Array(512);
  let plateCount = 0;
  let holeCount = 0;
  let holeSum = 0;
  let holePixels = 0;
  const textureAt = (d: Uint8Array, i: number) => {
    const p = i * channels;
    const v = luma(d, p);
    return Math.round(Math.abs(v - luma(d, p + channels)) + Math.abs(v - luma(d, p + width * channels)));
  };
  for (let y = window.top; y < window.top + window.height - 1; y++) {
    for (let x = window.left; x < window.left + window.width - 1; x++) {
      const i = y * width + x;
      if (surface[i] > 127) {
        plateValues.push(luma(before.data, i * channels));
        if (surface[i + 1] > 127 && surface[i + width] > 127) {
          plateTexture[textureAt(before.data, i)]++;
          plateCount++;
        }
      }
      if (hole[i] > 127) {
        holeSum += luma(after.data, i * channels);
        holePixels++;
        if (hole[i + 1] > 127 && hole[i + width] > 127) {
          holeTexture[textureAt(after.data, i)]++;
          holeCount++;
        }
      }
    }
  }
  if (holePixels === 0 || plateCount < 16) {
    return { holeLuma: 0, ringLow: 0, ringHigh: 0, holeTexture: 0, ringTexture: 0, smoothShare: 0, problem: null };
  }
  plateValues.sort((a, b) => a - b);
  const check = {
    holeLuma: holeSum / holePixels,
    ringLow: plateValues[Math.floor(plateValues.length * 0.1)],
    ringHigh: plateValues[Math.floor(plateValues.length * 0.9)],
    holeTexture: holeCount > 0 ? median(holeTexture, holeCount) : 0,
    ringTexture: median(plateTexture, plateCount),
    smoothShare: 0,
  };
  const problem = fillProblem(check);
  return { ...check, problem: problem?.replace(/around it/g, 'on the plate') ?? null };
}

function median(histogram: Uint32Array, count: number): number {
  let seen = 0;
  for (let v = 0; v < histogram.length; v++) {
    seen += histogram[v];
    if (seen * 2 >= count) return v;
  }
  return histogram.length - 1;
}
