import { refineCellMask } from './refine-mask.js';
import { findStuffCells, type StuffKind } from './stuff-rules.js';
import { stuffGrid } from './stuff-grid.js';

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
  const mask = refineCellMask(grid, verdict.cells, data, width, height, channels);
  let inside = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] > 127) inside++;
  const share = inside / mask.length;
  if (share < MIN_SHARE)
    return { mask: null, reason: `what looked like ${kind} covers under 0.5% of the picture once its edges are traced` };
  return { mask, share };
}
