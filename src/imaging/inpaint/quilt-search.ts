import { areaSum } from '../summed-area.js';
import type { Rng } from './rng.js';
import type { TypicalColour } from './quilt-surroundings.js';

/**
 * The block fill's search (quilt.ts): for a target block, the source block whose known pixels match
 * best, among positions near it, with the costs that keep the fill from repeating itself.
 */

/** Candidates within this share of the best match's cost are drawn from at random. */
const NEAR_BEST = 1.15;
/** Each earlier copy from a source's cell raises its cost by this share. */
const REUSE_COST = 0.5;
/** The coarse search visits every third position; refining one either way then reaches every position. */
const COARSE_STEP = 3;
/** How many of the best coarse candidates are refined to the pixel. */
const REFINED = 6;

/**
 * The source block for the target block at (tx, ty): first every third position within a search radius
 * compared on every other known pixel, then the best few refined to the pixel on all known pixels, then
 * one of the near-best drawn at random. The radius doubles until some source block is clean.
 */
export function bestSource(
  data: Uint8Array,
  c: number,
  unknown: Uint8Array,
  bannedSum: Float64Array,
  width: number,
  height: number,
  tx: number,
  ty: number,
  block: number,
  rng: Rng,
  used: UsedSources,
  ignored: Uint8Array | undefined,
  typical: TypicalColour,
): { x: number; y: number } | null {
  const all = knownOffsets(unknown, ignored, width, tx, ty, block, 1);
  const sparse = knownOffsets(unknown, ignored, width, tx, ty, block, 2);
  const clean = (x: number, y: number) => areaSum(bannedSum, width, x, y, block, block) === 0;
  for (let radius = 4 * block; radius < 2 * Math.max(width, height); radius *= 2) {
    const coarse: Array<{ x: number; y: number; cost: number }> = [];
    const x0 = Math.max(0, tx - radius);
    const x1 = Math.min(width - block, tx + radius);
    const y0 = Math.max(0, ty - radius);
    const y1 = Math.min(height - block, ty + radius);
    for (let y = y0; y <= y1; y += COARSE_STEP) {
      for (let x = x0; x <= x1; x += COARSE_STEP) {
        if (!clean(x, y)) continue;
        const limit = coarse.length < REFINED ? Infinity : coarse[coarse.length - 1].cost;
        const penalty = used.penalty(x, y);
        const atypical = typical.cost(x, y, block, sparse.length);
        const cost = penalty * (atypical + blockCost(data, c, width, sparse, tx, ty, x, y, limit / penalty - atypical));
        if (cost < limit) insertSorted(coarse, { x, y, cost }, REFINED);
      }
    }
    if (coarse.length === 0) continue;
    const refined: Array<{ x: number; y: number; cost: number }> = [];
    for (const candidate of coarse) {
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const x = candidate.x + dx;
          const y = candidate.y + dy;
          if (x < 0 || y < 0 || x > width - block || y > height - block || !clean(x, y)) continue;
          const atypical = typical.cost(x, y, block, all.length);
          refined.push({ x, y, cost: used.penalty(x, y) * (atypical + blockCost(data, c, width, all, tx, ty, x, y, Infinity)) });
        }
      }
    }
    refined.sort((a, b) => a.cost - b.cost);
    const near = refined.filter((r) => r.cost <= refined[0].cost * NEAR_BEST + 1e-9);
    // Distinct positions only: a candidate and its refined neighbour are the same choice.
    return near[rng.int(near.length)];
  }
  return null;
}

/**
 * Where blocks were copied from, on a grid of half-block cells: a source copied again (or one overlapping
 * it) costs more each time, so the fill does not tile one patch of leaves into a visible pattern.
 */
export class UsedSources {
  private readonly counts: Uint16Array;
  private readonly columns: number;
  private readonly cell: number;

  constructor(width: number, height: number, block: number) {
    this.cell = Math.max(4, block >> 1);
    this.columns = Math.ceil(width / this.cell);
    this.counts = new Uint16Array(this.columns * Math.ceil(height / this.cell));
  }

  add(x: number, y: number): void {
    this.counts[this.index(x, y)]++;
  }

  /** A cost factor: 1 for a fresh source, growing by REUSE_COST with each earlier copy from its cell. */
  penalty(x: number, y: number): number {
    return 1 + REUSE_COST * this.counts[this.index(x, y)];
  }

  private index(x: number, y: number): number {
    return Math.floor(y / this.cell) * this.columns + Math.floor(x / this.cell);
  }
}

/**
 * Offsets (in pixels from the block's top-left, as y * width + x) of the block's known pixels that say what
 * the texture is: not the `ignored` ones (a post carried across is not what the leaves beside it look like).
 */
function knownOffsets(
  unknown: Uint8Array,
  ignored: Uint8Array | undefined,
  width: number,
  tx: number,
  ty: number,
  block: number,
  step: number,
): Int32Array {
  const out: number[] = [];
  for (let y = 0; y < block; y += step) {
    for (let x = 0; x < block; x += step) {
      const i = (ty + y) * width + tx + x;
      if (!unknown[i] && !ignored?.[i]) out.push(y * width + x);
    }
  }
  return Int32Array.from(out);
}

/** Sum of squared differences over the given known offsets, stopping once it passes `limit`. */
function blockCost(
  data: Uint8Array,
  c: number,
  width: number,
  offsets: Int32Array,
  tx: number,
  ty: number,
  sx: number,
  sy: number,
  limit: number,
): number {
  const t0 = ty * width + tx;
  const s0 = sy * width + sx;
  let cost = 0;
  for (let k = 0; k < offsets.length; k++) {
    const t = (t0 + offsets[k]) * c;
    const s = (s0 + offsets[k]) * c;
    for (let ch = 0; ch < 3; ch++) {
      const d = data[t + ch] - data[s + ch];
      cost += d * d;
    }
    if (cost >= limit) return cost;
  }
  return cost;
}

function insertSorted(
  list: Array<{ x: number; y: number; cost: number }>,
  item: { x: number; y: number; cost: number },
  keep: number,
): void {
  let i = list.length;
  while (i > 0 && list[i - 1].cost > item.cost) i--;
  list.splice(i, 0, item);
  if (list.length > keep) list.pop();
}
