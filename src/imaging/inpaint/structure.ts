import { distanceToKnown } from './masks.js';
import type { InpaintImage } from './prepare.js';
import { alongLine, across, type BandInput, type StructureBand, sideRuns, structureBands } from './structure-bands.js';
import { crossingLines, type StructureLine } from './structure-lines.js';
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
  /**
   * Strong lines crossing the hole that no carried band covers: an edge the fill must join by itself. A fill
   * that copies whole blocks cannot (see inpaint/quilt.ts), so it is not used where this is above 0.
   */
  uncarried: number;
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
  const report: StructureReport = { lines: 0, bands: 0, uncarried: 0, period: null, filled: 0 };
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
  // the benchmark's post crossed by a 60-pixel hole (bench/inpaint/NOTES.md#holes-across-straight-structure).
  if (ring < MIN_RING_FOR_LINES) return finish(image, report, fill, done, channels);
  const lines = crossingLines(input);
  report.lines = lines.length;
  const bands = structureBands(lines, input);
  report.bands = bands.length;
  const carried = new Set<StructureBand>();
  if (bands.length > 0) report.filled += carryBands(data, channels, input, bands, fill, done, carried);
  // Only strong lines count: unbroken across the whole ring on both sides, they are plainly one thing
  // running through (a post's side); a weak one may be texture lined up by chance.
  report.uncarried = lines.filter((line) => line.strong && ![...carried].some((band) => covers(band, line))).length;
  // Only bands that were carried: one that copied nothing leaves its line to PatchMatch, which must be
  // free to copy it.
  if (carried.size > 0 && image.noSource) {
    markBands(image.noSource, input, [...carried]);
    growLikeBands(image.noSource, data, channels, hole, width);
  }
  return finish(image, report, fill, done, channels);
}

/**
 * Whether `line`, where it crosses the hole, lies inside a carried band (one of its sides, or an edge
 * within it, such as a channel in a post): the band's copy carries it.
 */
function covers(band: StructureBand, line: StructureLine): boolean {
  const inside = (t: number) => {
    const s = across(band.line, line.px + t * line.dx, line.py + t * line.dy);
    return s >= band.low - BAND_MARGIN && s <= band.high + BAND_MARGIN;
  };
  return inside(line.enter) && inside(line.exit);
}

/** Pixels this close to a carried band's sides count as part of it (its edges are a little soft). */
const BAND_MARGIN = 3;

/**
 * Marks every pixel of the carried bands, along their whole length in the window, as not to be copied
 * from: what is left of the hole beside a post is what lay behind the sign beside the post (foliage, a
 * wall), and patches of the post itself would fill it with pale ghosts of the post.
 */
function markBands(noSource: Uint8Array, input: BandInput, bands: StructureBand[]): void {
  const { width, height } = input;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (const band of bands) {
        const s = across(band.line, x, y);
        if (s >= band.low - BAND_MARGIN && s <= band.high + BAND_MARGIN) {
          noSource[y * width + x] = 1;
          break;
        }
      }
    }
  }
}

const MIN_RING_FOR_LINES = 16;

/** Colour distance (RGB, Euclidean) within which a pixel next to a band counts as the same thing. */
const SAME_THING_DISTANCE = 36;

/**
 * Extends the marked bands to the known pixels joined to them that have their colour: what the band is
 * part of (a bracket above a sign, the post's cap) is no more the stuff beside the post than the post
 * is. Where that flood would run far beyond the bands (a dark post against dark leaves), the colours do
 * not tell the post from its surroundings, and only the bands stay marked.
 */
function growLikeBands(noSource: Uint8Array, data: Uint8Array, channels: number, hole: Uint8Array, width: number): void {
  const mean = [0, 0, 0];
  let count = 0;
  for (let i = 0; i < noSource.length; i++) {
    if (!noSource[i] || hole[i]) continue;
    for (let c = 0; c < 3; c++) mean[c] += data[i * channels + c];
    count++;
  }
  if (count === 0) return;
  for (let c = 0; c < 3; c++) mean[c] /= count;
  const like = (i: number) => {
    let d = 0;
    for (let c = 0; c < 3; c++) d += (data[i * channels + c] - mean[c]) ** 2;
    return d < SAME_THING_DISTANCE ** 2;
  };
  const grown = new Uint8Array(noSource.length);
  const queue: number[] = [];
  for (let i = 0; i < noSource.length; i++) if (noSource[i] && !hole[i] && like(i)) queue.push(i);
  let added = 0;
  while (queue.length > 0 && added <= 3 * count) {
    const i = queue.pop() as number;
    const x = i % width;
    for (const j of [x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1, i - width, i + width]) {
      if (j < 0 || j >= noSource.length || noSource[j] || grown[j] || hole[j] || !like(j)) continue;
      grown[j] = 1;
      added++;
      queue.push(j);
    }
  }
  if (added > 3 * count) return;
  for (let i = 0; i < grown.length; i++) if (grown[i]) noSource[i] = 1;
}

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

/** Fills the hole pixels inside the bands; returns how many, and adds each band that filled some to `carried`. */
function carryBands(
  data: Uint8Array,
  channels: number,
  input: BandInput,
  bands: StructureBand[],
  fill: Float32Array,
  done: Uint8Array,
  carried: Set<StructureBand>,
): number {
  const { hole, width, height, ring } = input;
  // Narrow bands (edges) before wide ones (strips): the nearer line describes a pixel best.
  const ordered = [...bands].sort((a, b) => a.high - a.low - (b.high - b.low));
  const runs = new Map(ordered.map((b) => [b, sideRuns(b, input)]));
  const sample = new Float32Array(channels);
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
    // Copy along the tested shift: the line, corrected at its far end.
    const vx = band.vx ?? band.shift * band.line.dx;
    const vy = band.vy ?? band.shift * band.line.dy;
    const length = Math.hypot(vx, vy);
    const dx = vx / length;
    const dy = vy / length;
    const ahead = stepsToKnown(hole, width, height, x, y, dx, dy);
    const behind = stepsToKnown(hole, width, height, x, y, -dx, -dy);
    let total = 0;
    fill.fill(0, i * channels, i * channels + channels);
    // Which end of the hole each direction reaches: the shift points from before the hole to after it.
    const [before, after] = runs.get(band) as [number, number];
    const forwards = vx * band.line.dx + vy * band.line.dy > 0;
    for (const [direction, steps, weight, run] of [
      [1, ahead, behind, forwards ? after : before],
      [-1, behind, ahead, forwards ? before : after],
    ] as const) {
      // A side that gives less than the ring of the line is not copied from (see sideRuns).
      if (steps < 0 || run < ring) continue;
      // The source is on the stretch of the band just past the hole that is still the same thing: mirrored
      // into it (the pixel next to the hole copies the one next to the hole on the other side of the
      // boundary, and so on), folding back only where the hole is longer than that stretch, so a short
      // stretch is not repeated into stripes and nothing from further along the line (a sign above the
      // post) is carried in.
      const period = 2 * Math.min(run, 2 * ring + (band.line.exit - band.line.enter));
      const folded = steps % period;
      const beyond = folded < period / 2 ? folded : period - 1 - folded;
      const reach = direction * (steps + beyond);
      if (!bilinearKnown(data, channels, hole, width, height, x + reach * dx, y + reach * dy, sample)) {
        bilinearKnown(data, channels, hole, width, height, x + direction * steps * dx, y + direction * steps * dy, sample, true);
      }
      // Each side counts more the nearer the pixel is to it: the brightness moves from one side's to the other's.
      const w = weight < 0 ? 1 : weight + 0.5;
      for (let c = 0; c < channels; c++) fill[i * channels + c] += w * sample[c];
      total += w;
    }
    if (total === 0) continue;
    for (let c = 0; c < channels; c++) fill[i * channels + c] /= total;
    done[i] = 1;
    filled++;
    carried.add(band);
  }
  return filled;
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
