import type { StructureLine } from './structure-lines.js';

/**
 * From the lines that cross a hole to the bands to carry across it. A lone line is an edge: a thin band
 * around it. Parallel lines crossing the same stretch of hole bound a strip (the two sides of a post, of
 * a frame): the strip between them is carried too. Each band is kept only when the picture along it, on
 * one side of the hole, predicts the picture on the other side once shifted along the line by the hole's
 * length, clearly better than a shift across the line does: then it is one object running through.
 */

export interface StructureBand {
  line: StructureLine;
  /** The band's extent across the line: signed distances from it along the normal. */
  low: number;
  high: number;
  /** The shift along the line that maps one side of the hole onto the other. */
  shift: number;
  /** Once tested: the shift as a vector, with its small correction across the line. */
  vx?: number;
  vy?: number;
  /** For a strip, the other line bounding it. */
  partner?: StructureLine;
}

export interface BandInput {
  luma: Float32Array;
  hole: Uint8Array;
  width: number;
  height: number;
  ring: number;
}

const PARALLEL_DEGREES = 2;

export function structureBands(lines: StructureLine[], input: BandInput): StructureBand[] {
  const edge = Math.max(2, Math.round(input.ring / 4));
  const candidates: StructureBand[] = [];
  const shiftOf = (line: StructureLine) => line.exit - line.enter + 1 + Math.max(2, Math.round(input.ring / 2));
  for (const line of lines) candidates.push({ line, low: -edge, high: edge, shift: shiftOf(line) });
  // Strips between neighbouring parallel lines whose runs through the hole overlap. Each line is paired
  // with the next parallel line in (angle, rho) order, and with the nearest parallel line beyond it in rho
  // (the two differ when the partner was found at a smaller angle: a post's two sides at 0 and 1 degree).
  const sorted = [...lines].sort((a, b) => a.theta - b.theta || a.rho - b.rho);
  const addStrip = (a: StructureLine, b: StructureLine) => {
    if (candidates.some((c) => c.line === a && c.partner === b)) return;
    candidates.push({ line: a, low: -edge, high: b.rho - a.rho + edge, shift: Math.max(shiftOf(a), shiftOf(b)), partner: b });
  };
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i];
    const next = sorted.slice(i + 1).find((b) => Math.abs(a.theta - b.theta) <= PARALLEL_DEGREES && b.rho - a.rho > 2 * edge);
    if (next) addStrip(a, next);
    let nearest: StructureLine | null = null;
    for (const b of lines) {
      if (b === a || Math.abs(a.theta - b.theta) > PARALLEL_DEGREES) continue;
      const gap = b.rho - a.rho;
      if (gap > 2 * edge && (!nearest || gap < nearest.rho - a.rho)) nearest = b;
    }
    if (nearest) addStrip(a, nearest);
  }
  const kept: StructureBand[] = [];
  for (const band of candidates) {
    const v = carriedShift(band, input);
    if (v) kept.push({ ...band, vx: v.x, vy: v.y });
  }
  return kept;
}

/** Signed distance of (x, y) from the band's line, along its normal. */
export function across(line: StructureLine, x: number, y: number): number {
  return (x - line.px) * line.dy - (y - line.py) * line.dx;
}

export function alongLine(line: StructureLine, x: number, y: number): number {
  return (x - line.px) * line.dx + (y - line.py) * line.dy;
}

/**
 * The prediction test: known pixels of the band just before the hole against the same pixels shifted
 * along the line past it (and back), compared with a shift sideways. The far end is allowed to sit a few
 * pixels to either side of the straight extension (edges found on a small ring are a little off, and a
 * post may lean): the best of those shifts is the one kept.
 */
function carriedShift(band: StructureBand, input: BandInput): { x: number; y: number } | null {
  const { line, shift } = band;
  let best: { x: number; y: number; error: number; baseline: number } | null = null;
  const nx = line.dy;
  const ny = -line.dx;
  for (let offset = -8; offset <= 8; offset++) {
    const vx = shift * line.dx + offset * nx;
    const vy = shift * line.dy + offset * ny;
    const measured = predictionErrors(band, input, vx, vy);
    if (measured && (!best || measured.error < best.error)) best = { x: vx, y: vy, ...measured };
  }
  if (!best) return null;
  // A strip between two strong lines (a post's sides) may change a little along its length (a channel, a
  // bracket, the light): it need only predict better than a shift across. Anything else must predict clearly better.
  const loose = band.line.strong === true && band.partner?.strong === true;
  const [ratio, ceiling] = loose ? [0.95, 40] : [0.6, 30];
  return best.error < ceiling && best.error < ratio * best.baseline ? { x: best.x, y: best.y } : null;
}

function predictionErrors(
  band: StructureBand,
  input: BandInput,
  vx: number,
  vy: number,
): { error: number; baseline: number } | null {
  const { luma, hole, width, height, ring } = input;
  const { line, low, high } = band;
  // The normal (dy, -dx) is the Hough normal (cos theta, sin theta): rho grows along it.
  const nx = line.dy;
  const ny = -line.dx;
  const sideways = high - low + 2 * ring;
  const alongDiffs: number[] = [];
  const crossDiffs: number[] = [];
  for (let t = line.enter - ring; t <= line.exit + ring; t++) {
    // Only across the hole: from before it forwards, from after it backwards.
    if (t >= line.enter && t <= line.exit) continue;
    const direction = t < line.enter ? 1 : -1;
    for (let s = low; s <= high; s++) {
      const x = line.px + t * line.dx + s * nx;
      const y = line.py + t * line.dy + s * ny;
      const a = knownLuma(luma, hole, width, height, x, y);
      const bx = x + direction * vx;
      const by = y + direction * vy;
      const b = knownLuma(luma, hole, width, height, bx, by);
      if (a < 0 || b < 0) continue;
      const c = knownLuma(luma, hole, width, height, bx + sideways * nx, by + sideways * ny);
      const d = knownLuma(luma, hole, width, height, bx - sideways * nx, by - sideways * ny);
      const other = c >= 0 && d >= 0 ? (Math.abs(a - c) < Math.abs(a - d) ? c : d) : c >= 0 ? c : d;
      if (other < 0) continue;
      alongDiffs.push(a - b);
      crossDiffs.push(a - other);
    }
  }
  if (alongDiffs.length < Math.max(12, ring)) return null;
  // Differences about their mean: the light may change along a post, and the fill cross-fades it.
  return { error: meanDeviation(alongDiffs), baseline: meanDeviation(crossDiffs) };
}

function meanDeviation(values: number[]): number {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return values.reduce((s, v) => s + Math.abs(v - mean), 0) / values.length;
}

/** Luma at a point (nearest pixel) when it is inside the window and known; -1 otherwise. */
function knownLuma(luma: Float32Array, hole: Uint8Array, width: number, height: number, x: number, y: number): number {
  const xi = Math.round(x);
  const yi = Math.round(y);
  if (xi < 0 || yi < 0 || xi >= width || yi >= height) return -1;
  const i = yi * width + xi;
  return hole[i] ? -1 : luma[i];
}

/** Differences in the band's mean luma past which the picture along the line has become something else. */
const RUN_TOLERANCE = 20;

/**
 * How far past each end of the hole the band stays the same thing (the post below a sign runs on; past
 * it, the pavement), in steps along the line: [before the hole, after it]. The band's mean luma across
 * its width at each step is compared with its mean over the first `ring` steps, the stretch the shift was
 * tested on. A side shorter than the ring (the window's edge, or another surface, comes first) gives too
 * little of the line to copy from: the fill would repeat a sliver of it (stripes) or mix in what lies past it.
 */
export function sideRuns(band: StructureBand, input: BandInput): [number, number] {
  const { line, low, high } = band;
  const { luma, hole, width, height, ring } = input;
  const nx = line.dy;
  const ny = -line.dx;
  const meanAt = (t: number): number => {
    let sum = 0;
    let count = 0;
    for (let s = low; s <= high; s++) {
      const v = knownLuma(luma, hole, width, height, line.px + t * line.dx + s * nx, line.py + t * line.dy + s * ny);
      if (v < 0) return -1;
      sum += v;
      count++;
    }
    return count > 0 ? sum / count : -1;
  };
  const run = (from: number, step: number): number => {
    let reference = 0;
    for (let k = 0; k < ring; k++) {
      const v = meanAt(from + k * step);
      if (v < 0) return k;
      reference += v;
    }
    reference /= ring;
    const limit = width + height;
    let k = ring;
    for (; k < limit; k++) {
      const v = meanAt(from + k * step);
      if (v < 0 || Math.abs(v - reference) > RUN_TOLERANCE) break;
    }
    return k;
  };
  return [run(Math.floor(line.enter) - 1, -1), run(Math.ceil(line.exit) + 1, 1)];
}
