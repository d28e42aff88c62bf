import { iou } from '../boxes.js';
import type { Box, Detection } from '../detection.js';
import type { Tile } from './tile-grid.js';

/**
 * Puts the tiled pass's boxes together with the whole-picture pass's: what the tiles saw that the whole
 * picture did not, one box per thing. Pure.
 */

/** What one tile saw, in the tile's own pixels (0,0 = the tile's top left corner). */
export interface TileFinds {
  tile: Tile;
  boxes: Detection[];
}

/** Two boxes of one label are one thing when they overlap this much (IoU), ... */
const SAME_THING_IOU = 0.3;
/** ... or when this share of the smaller one lies inside the larger (a seam-cut part inside the whole). */
const SAME_THING_INSIDE = 0.5;
/**
 * A box this close to a seam of its tile (a share of the tile's side) is cut by it: the tile saw only part
 * of the thing. Not 0: the detector's box for a cut thing stops short of the tile's edge (4 pixels of 712
 * for a motorcycle cut in half in the test scene). Safe to be generous: a thing this close to one tile's
 * seam lies well inside the overlap, which the neighbouring tile sees whole.
 */
const SEAM_MARGIN = 0.03;
/**
 * The tiles are for small things: a find wider or taller than this share of a tile is dropped. The whole
 * picture shows such a thing at a quarter of the detector's input or more, and a large box that only a
 * tile saw was, on the test photos, a table stitched from the parts of a cup's saucer (coffee.png at 1155 px).
 */
const LARGEST_IN_TILE = 0.5;

interface Placed extends Detection {
  /** Whether a seam of its tile cuts it. */
  cut: boolean;
}

/** The tiled pass's result in image pixels. */
export interface MergedFinds {
  /** The things the tiles found that no whole-picture box holds. */
  added: Detection[];
  /** The whole-picture boxes, in their order, each widened to take in the tiles' uncut views of it. */
  widened: Detection[];
}

/**
 * The things the tiles found that no whole-picture box already holds, and the whole-picture boxes fused
 * with the tiles' views of the same things.
 *
 * - A tile box is the same thing as a whole-picture box of its label when they overlap (IoU above 0.3,
 *   or half of the smaller inside the other); it adds no thing: the whole-picture box stands for it. This
 *   is also where a part of a large thing cut by a seam goes (the whole picture saw the large thing). When
 *   it is not cut, the whole-picture box is widened to take it in: the closer look often sees a wheel or
 *   a wing tip that the whole picture's box left out, and a removal must cover all of the thing.
 * - Boxes of one label from overlapping tiles that overlap each other are one thing seen twice: the best
 *   boxes not cut by a seam stand for it; when every view of it is cut (a thing larger than the overlap),
 *   their union does.
 * - A thing that only a seam-cut box saw, in one tile, is dropped: the neighbouring tile held all of its
 *   part near the seam and did not see it, and a removal of half a thing is worse than no removal.
 * - A find larger than half a tile is dropped (LARGEST_IN_TILE): the tiles look for small things.
 *
 * Every tile has the same size (tile-grid.ts).
 *
 * @example mergeTileFinds(finds, wholeBirds).added // the small birds only the tiles saw
 */
export function mergeTileFinds(finds: readonly TileFinds[], whole: readonly Detection[]): MergedFinds {
  const small = (box: Box) =>
    finds.length > 0 &&
    box.width <= LARGEST_IN_TILE * finds[0].tile.width &&
    box.height <= LARGEST_IN_TILE * finds[0].tile.height;
  const placed: Placed[] = finds.flatMap(({ tile, boxes }) => boxes.map((box) => place(box, tile))).filter(small);
  const seen = (box: Placed, w: Detection) => w.label === box.label && sameThing(w, box);
  const widened = whole.map((w) => {
    const views = placed.filter((box) => !box.cut && seen(box, w));
    return views.length > 0 ? { ...w, ...union([w, ...views]) } : w;
  });
  const fresh = placed.filter((box) => !whole.some((w) => seen(box, w)));
  const groups = groupSame(fresh);
  const out: Detection[] = [];
  for (const group of groups) {
    const uncut = group.filter((b) => !b.cut).sort((a, b) => b.score - a.score);
    if (uncut.length > 0) {
      // Greedy, best first: two birds side by side joined through a third box stay two birds.
      const kept: Placed[] = [];
      for (const box of uncut) if (!kept.some((k) => sameThing(k, box))) kept.push(box);
      out.push(...kept.map(strip));
    } else if (group.length > 1) {
      out.push({ label: group[0].label, score: Math.max(...group.map((b) => b.score)), ...union(group) });
    }
  }
  return { added: out.filter(small), widened };
}

function place(box: Detection, tile: Tile): Placed {
  const { seams } = tile;
  const mx = SEAM_MARGIN * tile.width;
  const my = SEAM_MARGIN * tile.height;
  const cut =
    (seams.left && box.left <= mx) ||
    (seams.top && box.top <= my) ||
    (seams.right && box.left + box.width >= tile.width - mx) ||
    (seams.bottom && box.top + box.height >= tile.height - my);
  return { ...box, left: box.left + tile.left, top: box.top + tile.top, cut };
}

function sameThing(a: Box, b: Box): boolean {
  if (iou(a, b) > SAME_THING_IOU) return true;
  const w = Math.min(a.left + a.width, b.left + b.width) - Math.max(a.left, b.left);
  const h = Math.min(a.top + a.height, b.top + b.height) - Math.max(a.top, b.top);
  if (w <= 0 || h <= 0) return false;
  return w * h >= SAME_THING_INSIDE * Math.min(a.width * a.height, b.width * b.height);
}

/** Boxes of one label joined while any two of them are the same thing (connected groups). */
function groupSame(boxes: Placed[]): Placed[][] {
  const parent = boxes.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i];
    return i;
  };
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      if (boxes[i].label === boxes[j].label && sameThing(boxes[i], boxes[j])) parent[root(j)] = root(i);
    }
  }
  const groups = new Map<number, Placed[]>();
  for (const [i, box] of boxes.entries()) groups.set(root(i), [...(groups.get(root(i)) ?? []), box]);
  return [...groups.values()];
}

function union(boxes: Box[]): Box {
  const left = Math.min(...boxes.map((b) => b.left));
  const top = Math.min(...boxes.map((b) => b.top));
  const right = Math.max(...boxes.map((b) => b.left + b.width));
  const bottom = Math.max(...boxes.map((b) => b.top + b.height));
  return { left, top, width: right - left, height: bottom - top };
}

function strip({ cut: _cut, ...box }: Placed): Detection {
  return box;
}
