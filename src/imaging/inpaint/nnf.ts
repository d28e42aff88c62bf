import { patchDistance } from './patch-distance.js';
import type { Rng } from './rng.js';
import type { SharedLevel } from './shared-level.js';

/**
 * The nearest-neighbour field of Barnes et al. 2009, stored per pixel in `level.source` (the matched
 * source centre, -1 where the pixel is not a target) and `level.cost`.
 *
 * A match's cost is the patch distance plus `level.locality` times the squared distance between the
 * target and source centres: between two similar sources, the nearer is more likely to show what the hole
 * hid.
 */

/** Points each target at a uniformly random valid source. */
export function randomField(level: SharedLevel, rng: Rng): void {
  const { sources, source } = level;
  source.fill(-1);
  for (const t of level.targets) source[t] = sources[rng.int(sources.length)];
}

/**
 * Carries a coarse field to the next finer level: each fine target takes its coarse parent's match,
 * doubled, plus its own offset inside the 2x2 block. Matches that land on an invalid fine source (the
 * fine hole's dilation differs from the coarse one) are replaced by random sources, which PatchMatch
 * then improves.
 */
export function upsampleField(coarse: SharedLevel, fine: SharedLevel, rng: Rng): void {
  const { width: cw, height: ch } = coarse;
  const { width: fw, height: fh, valid, sources, source } = fine;
  const border = coarse.shape.radius;
  source.fill(-1);
  for (const t of fine.targets) {
    const x = t % fw;
    const y = (t - x) / fw;
    // Near the image border the coarse parent may not be a target (patch centres keep `radius` from
    // the edge at every level), so fall back to the nearest coarse pixel that can be.
    const cx = Math.min(Math.max(x >> 1, border), cw - 1 - border);
    const cy = Math.min(Math.max(y >> 1, border), ch - 1 - border);
    const parent = coarse.source[cy * cw + cx];
    let s = -1;
    if (parent >= 0) {
      const px = parent % cw;
      const sx = 2 * px + (x - 2 * cx);
      const sy = 2 * ((parent - px) / cw) + (y - 2 * cy);
      if (sx >= 0 && sx < fw && sy >= 0 && sy < fh && valid[sy * fw + sx]) s = sy * fw + sx;
    }
    source[t] = s >= 0 ? s : sources[rng.int(sources.length)];
  }
}

/**
 * Recomputes the costs of targets[from..to) against the current pixels (they change with every vote),
 * then improves their matches with `level.passes` PatchMatch passes: propagation from the neighbours
 * already visited (left and above on even passes, right and below on odd ones, in the matching scan
 * order), then random search in windows of halving size around the best match.
 *
 * Returns how many times a target's match changed, a measure of how far the field is from settling.
 *
 * Ranges run in parallel: a target only propagates from neighbours in its own range, so no range reads
 * what another is writing, and the result does not depend on thread timing.
 */
export function improveRange(level: SharedLevel, from: number, to: number, rng: Rng): number {
  const { pixels, width, height, channels, targets, valid, source, cost, locality } = level;
  const { radius, step } = level.shape;
  if (from >= to) return 0;
  let changed = 0;
  for (let n = from; n < to; n++) {
    const t = targets[n];
    const s = source[t];
    cost[t] = locality * squaredDistance(t, s, width) + patchDistance(pixels, width, channels, radius, step, t, s, Infinity);
  }
  const low = targets[from];
  const high = targets[to - 1];
  const minX = radius;
  const maxX = width - 1 - radius;
  const minY = radius;
  const maxY = height - 1 - radius;
  const maxWindow = Math.max(width, height);
  for (let pass = 0; pass < level.passes; pass++) {
    const forward = pass % 2 === 0;
    const direction = forward ? 1 : -1;
    for (let k = from; k < to; k++) {
      const t = targets[forward ? k : to - 1 - (k - from)];
      const tx = t % width;
      const ty = (t - tx) / width;
      let best = source[t];
      let bestCost = cost[t];
      // Propagation: a neighbour's match, shifted by one pixel, is likely good here too.
      for (let side = 0; side < 2; side++) {
        const neighbour = side === 0 ? t - direction : t - direction * width;
        if (neighbour < low || neighbour > high) continue;
        const match = source[neighbour];
        if (match < 0) continue;
        const candidate = match + (t - neighbour);
        if (!valid[candidate] || candidate === best) continue;
        const penalty = locality * squaredDistance(t, candidate, width);
        if (penalty >= bestCost) continue;
        const c = penalty + patchDistance(pixels, width, channels, radius, step, t, candidate, bestCost - penalty);
        if (c < bestCost) {
          best = candidate;
          bestCost = c;
        }
      }
      // Random search around the best match, in windows of halving radius.
      const bx = best % width;
      const by = (best - bx) / width;
      for (let window = maxWindow; window >= 1; window >>= 1) {
        let sx = bx + Math.floor((2 * rng.next() - 1) * window + 0.5);
        let sy = by + Math.floor((2 * rng.next() - 1) * window + 0.5);
        sx = sx < minX ? minX : Math.min(sx, maxX);
        sy = sy < minY ? minY : Math.min(sy, maxY);
        // The penalty needs no memory access, so it goes first: most far samples fail it.
        const penalty = locality * ((sx - tx) * (sx - tx) + (sy - ty) * (sy - ty));
        if (penalty >= bestCost) continue;
        const candidate = sy * width + sx;
        if (!valid[candidate] || candidate === best) continue;
        const c = penalty + patchDistance(pixels, width, channels, radius, step, t, candidate, bestCost - penalty);
        if (c < bestCost) {
          best = candidate;
          bestCost = c;
        }
      }
      if (best !== source[t]) changed++;
      source[t] = best;
      cost[t] = bestCost;
    }
  }
  return changed;
}

function squaredDistance(a: number, b: number, width: number): number {
  const ax = a % width;
  const bx = b % width;
  const dx = ax - bx;
  const dy = (a - ax - (b - bx)) / width;
  return dx * dx + dy * dy;
}
