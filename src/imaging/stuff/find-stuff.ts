import { STRAND_RATIO, strandRatio } from './strand-texture.js';
import { refineCellMask } from './refine-mask.js';
import { findStuffCells, type StuffKind } from './stuff-rules.js';
import { stuffGrid } from './stuff-grid.js';
import { brokenUp } from './surface-rules.js';

/**
 * Finds stuff (sky, grass, water, ...) in a photo: the analysis grid, the kind's rule on it, then the cell
 * mask refined to the photo's edges. Pure and synchronous: it runs in the imaging workers (stuff-tasks.ts).
 */

export interface StuffInput {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
  kind: StuffKind;
}

export type StuffResult =
  /** One byte per pixel, 255 = the stuff; `share` of the picture it covers (mask above half). */
  { mask: Uint8Array; share: number } | { mask: null; reason: string };

/** Under this share after refinement, the region is too thin to edit honestly. */
const MIN_SHARE = 0.005;

/**
 * @example const sky = findStuff({ ...photo, kind: 'sky' }); if (!sky.mask) refuse(sky.reason);
 */
export function findStuff(input: StuffInput): StuffResult {
  const { data, width, height, channels, kind } = input;
  const grid = stuffGrid(data, width, height, channels);
  const verdict = findStuffCells(grid, kind);
  if (!verdict.cells) return { mask: null, reason: verdict.reason };
  const broken = kind === 'wall' ? brokenUp(grid, verdict.cells) : null;
  if (broken) return { mask: null, reason: broken };
  const mask = refineCellMask(grid, verdict.cells, data, width, height, channels);
  if (kind === 'sky') keepOutSharpLines(mask, data, width, height, channels);
  let inside = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] > 127) inside++;
  const share = inside / mask.length;
  if (share < MIN_SHARE)
    return { mask: null, reason: `what looked like ${kind} covers under 0.5% of the picture once its edges are traced` };
  if ((kind === 'foliage' || kind === 'grass') && strandRatio(data, width, height, channels, mask) > STRAND_RATIO) {
    const what = kind === 'foliage' ? 'leaves' : 'grass';
    return {
      mask: null,
      reason: `what has the colour of ${what} here has the fine, hair-like texture of fur or hair, not that of ${what}`,
    };
  }
  return { mask, share };
}

/**
 * The sky is smooth: within it, a pixel unlike the sky around it is something in front of it. A launch
 * tower's beams, a mast, wires and birds are thinner than the grid's cells, so the cell mask and its guided
 * refinement take them in with the sky around them (and a new sky would paint over them). Each pixel is
 * compared with the median of eight samples three pixels around it: a line or a bird up to a few pixels
 * wide covers at most three of them, so the median is the sky's, and a pixel more than about 12 levels
 * of lightness from it is taken out of the mask (cloud edges and the sky's gradient are far softer). The sky
 * next to such a line stays in, so no rim of the old sky is left around it. Only pixels with sky on both
 * sides: the edge of a building the guided refinement has already split.
 */
function keepOutSharpLines(mask: Uint8Array, data: Uint8Array, width: number, height: number, channels: number): void {
  const luma = new Float32Array(width * height);
  for (let p = 0, i = 0; p < luma.length; p++, i += channels)
    luma[p] = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
  const original = mask.slice();
  const r = 3;
  const offsets = [-r, 0, r].flatMap((dy) => [-r, 0, r].filter((dx) => dx !== 0 || dy !== 0).map((dx) => dy * width + dx));
  const ring = new Float32Array(8);
  for (let y = r; y < height - r; y++) {
    for (let x = r; x < width - r; x++) {
      const p = y * width + x;
      if (mask[p] === 0) continue;
      const sides =
        (original[p - r] > 128 && original[p + r] > 128) || (original[p - r * width] > 128 && original[p + r * width] > 128);
      if (!sides) continue;
      for (let k = 0; k < 8; k++) ring[k] = luma[p + offsets[k]];
      ring.sort();
      const median = (ring[3] + ring[4]) / 2;
      const unlike = smoothstep(10, 24, Math.abs(luma[p] - median));
      if (unlike > 0) mask[p] = Math.round(mask[p] * (1 - unlike));
    }
  }
}

function smoothstep(edge0: number, edge1: number, x: number): number {
  const t = Math.max(0, Math.min(1, (x - edge0) / (edge1 - edge0)));
  return t * t * (3 - 2 * t);
}
