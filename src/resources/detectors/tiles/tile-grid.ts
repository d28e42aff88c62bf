import type { Box } from '../detection.js';

/**
 * Where the tiled pass looks: a grid of overlapping tiles over the picture, each of which the detector
 * stretches to its input square as it does the whole picture, so a small thing comes out 1.8x (2 tiles a
 * side) or 2.6x (3 a side) larger to the model. Pure.
 */

/** A tile in image pixels, and which of its sides are seams (inside the picture) rather than the frame. */
export interface Tile extends Box {
  seams: { left: boolean; top: boolean; right: boolean; bottom: boolean };
}

/**
 * The share of a tile that overlaps its neighbour. A thing smaller than this share of a tile that a seam
 * cuts lies whole in the neighbouring tile, so the seam loses nothing that matters for small things.
 */
export const TILE_OVERLAP = 0.2;

/** Tiling starts to help when the picture's long side is this many detector inputs or more. */
export const TILING_MIN_RATIO = 1.3;

/** At most this many tiles a side (9 in all): each tile costs one detector run. */
export const MAX_TILES_PER_SIDE = 3;

/**
 * The grid for a picture of `width` x `height` and a detector whose input is `inputSide` pixels square,
 * or null when the picture is small enough that the whole-picture pass already sees small things near
 * their own size (its long side at most TILING_MIN_RATIO inputs). Each side gets one tile per
 * TILING_MIN_RATIO inputs of its length, at most MAX_TILES_PER_SIDE: a 1 MP photo 2 x 2, 1920 x 1080
 * 3 x 2, a 12 MP photo 3 x 3.
 *
 * @example planTiles(1155, 866, 512) // 2 x 2 tiles of 642 x 482, overlapping by 129 x 98
 * @example planTiles(600, 400, 512) // null
 */
export function planTiles(width: number, height: number, inputSide: number): Tile[] | null {
  const span = TILING_MIN_RATIO * inputSide;
  if (Math.max(width, height) <= span) return null;
  const count = (length: number) => Math.min(MAX_TILES_PER_SIDE, Math.ceil(length / span));
  const xs = spans(width, count(width));
  const ys = spans(height, count(height));
  const tiles: Tile[] = [];
  for (const [j, y] of ys.entries()) {
    for (const [i, x] of xs.entries()) {
      tiles.push({
        left: x.start,
        top: y.start,
        width: x.size,
        height: y.size,
        seams: { left: i > 0, top: j > 0, right: i < xs.length - 1, bottom: j < ys.length - 1 },
      });
    }
  }
  return tiles;
}

/** `count` spans of equal size covering `length`, each overlapping the next by TILE_OVERLAP of a span. */
function spans(length: number, count: number): Array<{ start: number; size: number }> {
  if (count === 1) return [{ start: 0, size: length }];
  const size = Math.ceil(length / (count - (count - 1) * TILE_OVERLAP));
  const step = (length - size) / (count - 1);
  return Array.from({ length: count }, (_, i) => ({ start: Math.round(i * step), size }));
}
