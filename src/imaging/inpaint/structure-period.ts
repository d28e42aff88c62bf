/**
 * A pattern that repeats around the hole (a window grid, tiles, a fence, bricks): the shift that best maps
 * the ring of known pixels around the hole onto itself, found by brute force over shifts (an
 * autocorrelation measured as the mean absolute luma difference), and copied into the hole by whole
 * multiples of it. Kept only when that shift explains the ring far better than shifts in general do:
 * natural texture (fur, foliage) has no such shift, and is left to PatchMatch.
 */

export interface PeriodInput {
  luma: Float32Array;
  hole: Uint8Array;
  width: number;
  height: number;
  ring: number;
}

/** At most this many ring pixels are compared per shift: enough to tell a period from chance. */
const SAMPLES = 1500;
/** Shifts shorter than this are not periods: any smooth picture matches itself one pixel over. */
const MIN_PERIOD = 8;

export function repeatingPeriod(input: PeriodInput): [number, number] | null {
  const { luma, hole, width, height, ring } = input;
  const box = holeBox(hole, width, height);
  if (!box) return null;
  const samples = ringSamples(hole, width, height, ring, box);
  if (samples.length < 64) return null;
  // A ring with little texture needs no period: any fill of a plain surface is plain.
  if (meanNeighbourDifference(luma, samples, width) < 3) return null;
  const reach = Math.min(Math.floor(Math.max(width, height) / 3), Math.max(box.w, box.h) + 2 * ring);
  const shifts: Array<[number, number, number]> = [];
  // Coarse: every other shift, half the plane (v and -v are the same period); past a reach of 256 every
  // fourth or sixth (the shifts grow with the square of the reach: a 1-MP sign's 400 took 2 s at every other).
  const step = coarseStep(reach);
  for (let vy = 0; vy <= reach; vy += step) {
    for (let vx = -reach; vx <= reach; vx += step) {
      if (vy === 0 && vx <= 0) continue;
      if (vx * vx + vy * vy < MIN_PERIOD * MIN_PERIOD) continue;
      const e = shiftError(luma, hole, width, height, samples, vx, vy, Infinity);
      if (Number.isFinite(e)) shifts.push([vx, vy, e]);
    }
  }
  if (shifts.length < 32) return null;
  const sorted = shifts.map((s) => s[2]).sort((a, b) => a - b);
  const typical = sorted[Math.floor(sorted.length / 2)];
  const lowest = sorted[0];
  // The fundamental period: the shortest shift about as good as the best (a grid matches at every multiple).
  let best: [number, number] = [0, 0];
  let bestLength = Infinity;
  for (const [vx, vy, e] of shifts) {
    const length = vx * vx + vy * vy;
    if (e <= 1.15 * lowest + 0.5 && length < bestLength) {
      best = [vx, vy];
      bestLength = length;
    }
  }
  // Refine around it, to every shift the coarse grid skipped.
  let bestError = shiftError(luma, hole, width, height, samples, best[0], best[1], Infinity);
  const [cx, cy] = best;
  const around = step >> 1;
  for (let vy = cy - around; vy <= cy + around; vy++) {
    for (let vx = cx - around; vx <= cx + around; vx++) {
      if (vx * vx + vy * vy < MIN_PERIOD * MIN_PERIOD) continue;
      const e = shiftError(luma, hole, width, height, samples, vx, vy, bestError * 1.1);
      if (e < bestError) {
        bestError = e;
        best = [vx, vy];
      }
    }
  }
  if (!(bestError < 0.4 * typical && bestError < 12)) return null;
  // A period repeats: half of it must match clearly worse. Otherwise it is a plain area or a smooth
  // gradient (which match themselves at any shift), or stripes running along the shift, which
  // PatchMatch and the line bands handle.
  const half = shiftError(luma, hole, width, height, samples, Math.round(best[0] / 2), Math.round(best[1] / 2), Infinity);
  return Number.isFinite(half) && bestError < 0.5 * half ? best : null;
}

/** The coarse search's step: 2 up to a reach of 255 pixels, then 2 more per 128 pixels of reach. */
function coarseStep(reach: number): number {
  return 2 * Math.max(1, Math.floor(reach / 128));
}

/** Fills hole pixels from the nearest known pixels a whole number of periods away; returns how many. */
export function copyByPeriod(
  data: Uint8Array,
  channels: number,
  input: PeriodInput,
  period: [number, number],
  fill: Float32Array,
  done: Uint8Array,
): number {
  const { hole, width, height } = input;
  const [vx, vy] = period;
  let filled = 0;
  for (let i = 0; i < hole.length; i++) {
    if (!hole[i]) continue;
    const x = i % width;
    const y = (i - x) / width;
    for (let k = 1; k < 64; k++) {
      const sources = [
        [x + k * vx, y + k * vy],
        [x - k * vx, y - k * vy],
      ].filter(([sx, sy]) => sx >= 0 && sy >= 0 && sx < width && sy < height && !hole[sy * width + sx]);
      if (sources.length === 0) {
        const outside = (sx: number, sy: number) => sx < 0 || sy < 0 || sx >= width || sy >= height;
        if (outside(x + k * vx, y + k * vy) && outside(x - k * vx, y - k * vy)) break;
        continue;
      }
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        for (const [sx, sy] of sources) sum += data[(sy * width + sx) * channels + c];
        fill[i * channels + c] = sum / sources.length;
      }
      done[i] = 1;
      filled++;
      break;
    }
  }
  return filled;
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

function holeBox(hole: Uint8Array, width: number, height: number): Box | null {
  let x0 = width,
    y0 = height,
    x1 = -1,
    y1 = -1;
  for (let i = 0; i < hole.length; i++) {
    if (!hole[i]) continue;
    const x = i % width;
    const y = (i - x) / width;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  return x1 < 0 ? null : { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

/** Known pixels within `ring` of the hole's box (a cheap stand-in for the ring), evenly thinned. */
function ringSamples(hole: Uint8Array, width: number, height: number, ring: number, box: Box): Int32Array {
  const all: number[] = [];
  const x0 = Math.max(1, box.x - ring);
  const y0 = Math.max(1, box.y - ring);
  const x1 = Math.min(width - 2, box.x + box.w + ring);
  const y1 = Math.min(height - 2, box.y + box.h + ring);
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const i = y * width + x;
      if (!hole[i] && !hole[i + 1] && !hole[i + width]) all.push(i);
    }
  }
  const step = Math.max(1, all.length / SAMPLES);
  const out: number[] = [];
  for (let k = 0; k < all.length; k += step) out.push(all[Math.floor(k)]);
  return Int32Array.from(out);
}

function meanNeighbourDifference(luma: Float32Array, samples: Int32Array, width: number): number {
  let sum = 0;
  for (const i of samples) sum += Math.abs(luma[i] - luma[i + 1]) + Math.abs(luma[i] - luma[i + width]);
  return sum / (2 * samples.length);
}

/**
 * Mean absolute luma difference between the samples and the pixels one shift away (both known), or
 * Infinity when too few pairs exist. Stops early once past `limit`, checked every 64 pairs.
 */
function shiftError(
  luma: Float32Array,
  hole: Uint8Array,
  width: number,
  height: number,
  samples: Int32Array,
  vx: number,
  vy: number,
  limit: number,
): number {
  let sum = 0;
  let pairs = 0;
  for (let k = 0; k < samples.length; k++) {
    const i = samples[k];
    const x = (i % width) + vx;
    const y = Math.floor(i / width) + vy;
    if (x < 0 || y < 0 || x >= width || y >= height) continue;
    const j = y * width + x;
    if (hole[j]) continue;
    sum += Math.abs(luma[i] - luma[j]);
    pairs++;
    if ((pairs & 63) === 0 && sum / pairs > limit && pairs >= 256) return sum / pairs;
  }
  return pairs >= samples.length / 4 && pairs >= 48 ? sum / pairs : Infinity;
}
