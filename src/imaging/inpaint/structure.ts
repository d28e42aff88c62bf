import { distanceToKnown } from './masks.js';
import type { InpaintImage } from './prepare.js';
import { alongLine, across, type StructureBand, structureBands } from './structure-bands.js';
import { crossingLines } from './structure-lines.js';
import { repeatingPeriod, copyByPeriod } from './structure-period.js';

/**
 * Structure first, then texture (as Sun et al. 2005 complete structure before texture): before PatchMatch
 * fills a hole, what plainly runs through it is carried across. Straight lines that enter the hole on one
 * side and leave it on the other (a post behind a sign, a kerb, a frame) are continued as bands copied
 * along the line from both sides and cross-faded, so the brightness moves from one side's to the
 * other's; a pattern that repeats around the hole (windows, tiles, a fence) is copied in by its period.
 * What is filled here becomes known to the texture fill, which then only has to fill around it.
 *
 * Works in place on the window's shared image: fills pixels of `data` and clears them from `hole`.
 */

export interface StructureReport {
  /** Lines found crossing the hole, bands carried across, a period found (or null), hole pixels filled. */
  lines: number;
  bands: number;
  period: [number, number] | null;
  filled: number;
}

export function propagateStructure(image: InpaintImage): StructureReport {
  const { width, height, channels, data } = image;
  const size = width * height;
  const hole = new Uint8Array(size);
  let holeCount = 0;
  for (let i = 0; i < size; i++) {
    hole[i] = image.hole[i] > 127 ? 1 : 0;
    holeCount += hole[i];
  }
  const report: StructureReport = { lines: 0, bands: 0, period: null, filled: 0 };
  if (holeCount === 0 || holeCount === size) return report;
  const luma = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const p = i * channels;
    luma[i] = 0.299 * data[p] + 0.587 * data[p + 1] + 0.114 * data[p + 2];
  }
  let radius = 0;
  for (const d of distanceToKnown(hole, width, height)) if (d > radius) radius = d;
  // The ring read around the hole: wide enough to see a line's direction, near enough to be about it.
  const ring = Math.round(Math.min(24, Math.max(6, radius / 2)));
  const input = { luma, hole, width, height, ring };

  const fill = new Float32Array(size * channels);
  const done = new Uint8Array(size);
  const period = repeatingPeriod(input);
  if (period) {
    report.period = period;
    report.filled += copyByPeriod(data, channels, input, period, fill, done);
  }
  // Lines only across holes too wide for PatchMatch to bridge: under this ring (a hole about 64 pixels
  // across) its coarse patches already join an edge from both sides, and did better than the bands on
  // the benchmark's post crossed by a 60-pixel hole (bench/inpaint/NOTES.md).
  if (ring < MIN_RING_FOR_LINES) return finish(image, report, fill, done, channels);
  const lines = crossingLines(input);
  report.lines = lines.length;
  const bands = structureBands(lines, input);
  report.bands = bands.length;
  if (bands.length > 0) report.filled += carryBands(data, channels, input, bands, fill, done);
  return finish(image, report, fill, done, channels);
}

const MIN_RING_FOR_LINES = 16;

/** Writes what was filled into the image and clears it from the hole. */
function finish(
  image: InpaintImage,
  report: StructureReport,
  fill: Float32Array,
  done: Uint8Array,
  channels: number,
): StructureReport {
  // Only now do the filled pixels become known: every copy above read original pixels alone.
  const { data } = image;
  const out = new Uint8ClampedArray(data.buffer, data.byteOffset, data.length);
  for (let i = 0; i < done.length; i++) {
    if (!done[i]) continue;
    for (let c = 0; c < channels; c++) out[i * channels + c] = fill[i * channels + c];
    image.hole[i] = 0;
  }
  return report;
}

/** Fills the hole pixels inside the bands; returns how many. */
function carryBands(
  data: Uint8Array,
  channels: number,
  input: { hole: Uint8Array; width: number; height: number; ring: number },
  bands: StructureBand[],
  fill: Float32Array,
  done: Uint8Array,
): number {
  const { hole, width, height, ring } = input;
  // Narrow bands (edges) before wide ones (strips): the nearer line describes a pixel best.
  const ordered = [...bands].sort((a, b) => a.high - a.low - (b.high - b.low));
  const sample = new Float32Array(channels);
  const offsets = new Map(ordered.map((b) => [b, sideOffsets(data, channels, input, b)]));
  let filled = 0;
  for (let i = 0; i < hole.length; i++) {
    if (!hole[i] || done[i]) continue;
    const x = i % width;
    const y = (i - x) / width;
    const band = ordered.find((b) => {
      const s = across(b.line, x, y);
      const t = alongLine(b.line, x, y);
      return s >= b.low && s <= b.high && t >= b.line.enter - ring && t <= b.line.exit + ring;
    });
    if (!band) continue;
    // Copy along the tested shift (the line, corrected at its far end), by the whole shift when that
    // lands on known pixels (texture kept), else from the nearest known pixel along it.
    const vx = band.vx ?? band.shift * band.line.dx;
    const vy = band.vy ?? band.shift * band.line.dy;
    const length = Math.hypot(vx, vy);
    const dx = vx / length;
    const dy = vy / length;
    const ahead = stepsToKnown(hole, width, height, x, y, dx, dy);
    const behind = stepsToKnown(hole, width, height, x, y, -dx, -dy);
    let total = 0;
    fill.fill(0, i * channels, i * channels + channels);
    const bin = Math.round(across(band.line, x, y) - band.low);
    for (const [direction, steps, weight] of [
      [1, ahead, behind],
      [-1, behind, ahead],
    ] as const) {
      if (steps < 0) continue;
      const shifted = bilinearKnown(data, channels, hole, width, height, x + direction * vx, y + direction * vy, sample);
      if (shifted) {
        // A copy from one shift away carries that place's light; bring it to the light beside the hole.
        const offset = offsets.get(band)?.[direction === 1 ? 0 : 1];
        if (offset) for (let c = 0; c < channels; c++) sample[c] += offset[bin * channels + c];
      } else
        bilinearKnown(data, channels, hole, width, height, x + direction * steps * dx, y + direction * steps * dy, sample, true);
      // Each side counts more the nearer the pixel is to it: the brightness moves from one side's to the other's.
      const w = weight < 0 ? 1 : weight + 0.5;
      for (let c = 0; c < channels; c++) fill[i * channels + c] += w * sample[c];
      total += w;
    }
    if (total === 0) continue;
    for (let c = 0; c < channels; c++) fill[i * channels + c] /= total;
    done[i] = 1;
    filled++;
  }
  return filled;
}

/**
 * For each side of the hole (ahead along the shift, behind it) and each pixel column across the band, the
 * mean difference between the known pixels just beside the hole and the pixels one shift further on:
 * what a copy from that far must gain to match the light beside the hole. Columns with too few samples
 * take the band's mean.
 */
function sideOffsets(
  data: Uint8Array,
  channels: number,
  input: { hole: Uint8Array; width: number; height: number; ring: number },
  band: StructureBand,
): [Float32Array, Float32Array] {
  const { hole, width, height, ring } = input;
  const { line, low, high } = band;
  const vx = band.vx ?? band.shift * line.dx;
  const vy = band.vy ?? band.shift * line.dy;
  const bins = Math.floor(high - low) + 1;
  const result: [Float32Array, Float32Array] = [new Float32Array(bins * channels), new Float32Array(bins * channels)];
  const here = new Float32Array(channels);
  const there = new Float32Array(channels);
  for (const [side, direction] of [
    [0, 1],
    [1, -1],
  ] as const) {
    const sums = new Float64Array(bins * channels);
    const counts = new Uint32Array(bins);
    const total = new Float64Array(channels);
    let all = 0;
    // Ahead of the hole is past its exit along the shift when the shift runs with the line, else before its entry.
    const forward = vx * line.dx + vy * line.dy > 0 === (direction === 1);
    const from = forward ? line.exit + 1 : line.enter - ring;
    const to = forward ? line.exit + ring : line.enter - 1;
    for (let t = from; t <= to; t++) {
      for (let k = 0; k < bins; k++) {
        const s = low + k;
        const x = line.px + t * line.dx + s * line.dy;
        const y = line.py + t * line.dy - s * line.dx;
        if (!bilinearKnown(data, channels, hole, width, height, x, y, here)) continue;
        if (!bilinearKnown(data, channels, hole, width, height, x + direction * vx, y + direction * vy, there)) continue;
        for (let c = 0; c < channels; c++) {
          sums[k * channels + c] += here[c] - there[c];
          total[c] += here[c] - there[c];
        }
        counts[k]++;
        all++;
      }
    }
    for (let k = 0; k < bins; k++) {
      for (let c = 0; c < channels; c++) {
        result[side][k * channels + c] = counts[k] >= 4 ? sums[k * channels + c] / counts[k] : all > 0 ? total[c] / all : 0;
      }
    }
  }
  return result;
}

/** Whole steps from (x, y) along (dx, dy) to the first known pixel; -1 if the window ends first. */
function stepsToKnown(hole: Uint8Array, width: number, height: number, x: number, y: number, dx: number, dy: number): number {
  for (let s = 1; ; s++) {
    const xi = Math.round(x + s * dx);
    const yi = Math.round(y + s * dy);
    if (xi < 0 || yi < 0 || xi >= width || yi >= height) return -1;
    if (!hole[yi * width + xi]) return s;
  }
}

/**
 * Samples the picture at (x, y) bilinearly into `out` when its four neighbours are all known and inside;
 * with `nearest`, the nearest known pixel will do. Returns whether it sampled.
 */
function bilinearKnown(
  data: Uint8Array,
  channels: number,
  hole: Uint8Array,
  width: number,
  height: number,
  x: number,
  y: number,
  out: Float32Array,
  nearest = false,
): boolean {
  if (nearest) {
    const xi = Math.min(width - 1, Math.max(0, Math.round(x)));
    const yi = Math.min(height - 1, Math.max(0, Math.round(y)));
    const i = yi * width + xi;
    if (hole[i]) return false;
    for (let c = 0; c < channels; c++) out[c] = data[i * channels + c];
    return true;
  }
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  if (x0 < 0 || y0 < 0 || x0 + 1 >= width || y0 + 1 >= height) return false;
  const i = y0 * width + x0;
  if (hole[i] || hole[i + 1] || hole[i + width] || hole[i + width + 1]) return false;
  const fx = x - x0;
  const fy = y - y0;
  for (let c = 0; c < channels; c++) {
    const top = data[i * channels + c] * (1 - fx) + data[(i + 1) * channels + c] * fx;
    const bottom = data[(i + width) * channels + c] * (1 - fx) + data[(i + width + 1) * channels + c] * fx;
    out[c] = top * (1 - fy) + bottom * fy;
  }
  return true;
}
