import { dilate } from './masks.js';

/**
 * Straight structure that crosses a hole: a post behind a sign, the edge of a kerb, a window frame. Found
 * with a Hough transform of the strong edges in a ring of known pixels around the hole, kept only when the
 * same line is supported on both sides of the hole (so it plainly continues through it) and when the
 * picture along the line on one side predicts the picture along it on the other (so it is one object, not
 * two edges that happen to align). Pure; runs in an imaging worker (structure.ts).
 */

export interface StructureLine {
  /** Unit direction along the line, and a point on it (pixel coordinates of the window). */
  dx: number;
  dy: number;
  px: number;
  py: number;
  /** The normal angle in degrees (0..179) and the signed distance from the origin, as the Hough bins read. */
  theta: number;
  rho: number;
  /** Where the line is inside the hole, as distances along it from (px, py). */
  enter: number;
  exit: number;
  /** Supported unbroken across the whole ring on both sides of a large hole. */
  strong?: boolean;
}

/** What the detector reads: the window's luma (0..255), its hole (1 = hole) and the ring's width. */
export interface LineInput {
  luma: Float32Array;
  hole: Uint8Array;
  width: number;
  height: number;
  ring: number;
}

const MAX_LINES = 16;
/** An edge pixel votes for normals within this many degrees of its own gradient's. */
const VOTE_SPREAD = 4;

/** The lines that cross the hole, strongest first. */
export function crossingLines(input: LineInput): StructureLine[] {
  const { luma, hole, width, height, ring } = input;
  const near = dilate(hole, width, height, ring);
  // Every pixel of a 3x3 Sobel window must be known: the hole's own pixels are never read.
  const blocked = dilate(hole, width, height, 1);
  const edges = ringEdges(luma, near, blocked, width, height);
  if (edges.count === 0) return [];
  const diag = Math.ceil(Math.hypot(width, height));
  const rhos = 2 * diag + 1;
  const votes = new Int32Array(180 * rhos);
  for (let k = 0; k < edges.count; k++) {
    const x = edges.x[k];
    const y = edges.y[k];
    const angle = edges.angle[k];
    for (let d = -VOTE_SPREAD; d <= VOTE_SPREAD; d++) {
      const theta = (angle + d + 180) % 180;
      const rho = Math.round(x * COS[theta] + y * SIN[theta]) + diag;
      votes[theta * rhos + rho]++;
    }
  }
  const minVotes = Math.max(8, Math.round(0.6 * ring));
  const lines: StructureLine[] = [];
  for (let tries = 0; tries < 4 * MAX_LINES && lines.length < MAX_LINES; tries++) {
    let best = -1;
    let bestVotes = minVotes - 1;
    for (let i = 0; i < votes.length; i++) {
      if (votes[i] > bestVotes) {
        bestVotes = votes[i];
        best = i;
      }
    }
    if (best < 0) break;
    const theta = Math.floor(best / rhos);
    const rho = (best % rhos) - diag;
    suppress(votes, rhos, theta, rho + diag);
    const line = crossing(theta, rho, edges, hole, width, height, ring);
    // Neighbouring peaks often refit to the same line: keep it once.
    if (line && !lines.some((l) => sameLine(l, line))) lines.push(line);
  }
  return lines;
}

function sameLine(a: StructureLine, b: StructureLine): boolean {
  if (Math.abs(a.dx * b.dy - a.dy * b.dx) > Math.sin((2 * Math.PI) / 180)) return false;
  // Distance from b's anchor to line a.
  return Math.abs((b.px - a.px) * a.dy - (b.py - a.py) * a.dx) < 2;
}

const COS = Float64Array.from({ length: 180 }, (_, t) => Math.cos((t * Math.PI) / 180));
const SIN = Float64Array.from({ length: 180 }, (_, t) => Math.sin((t * Math.PI) / 180));

interface Edges {
  x: Int32Array;
  y: Int32Array;
  /** The gradient's direction, in whole degrees 0..179 (the line's normal). */
  angle: Int32Array;
  count: number;
}

/** Strong edge pixels of the ring: Sobel magnitude over both 60 and the ring's 80th percentile. */
function ringEdges(luma: Float32Array, near: Uint8Array, blocked: Uint8Array, width: number, height: number): Edges {
  const size = width * height;
  const gx = new Float32Array(size);
  const gy = new Float32Array(size);
  const magnitudes: number[] = [];
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      if (!near[i] || blocked[i]) continue;
      const a = luma[i - width - 1],
        b = luma[i - width],
        c = luma[i - width + 1];
      const d = luma[i - 1],
        f = luma[i + 1];
      const g = luma[i + width - 1],
        h = luma[i + width],
        k = luma[i + width + 1];
      gx[i] = c + 2 * f + k - a - 2 * d - g;
      gy[i] = g + 2 * h + k - a - 2 * b - c;
      magnitudes.push(Math.hypot(gx[i], gy[i]));
    }
  }
  if (magnitudes.length === 0) return { x: new Int32Array(0), y: new Int32Array(0), angle: new Int32Array(0), count: 0 };
  const sorted = Float32Array.from(magnitudes).sort();
  const threshold = Math.max(60, sorted[Math.floor(0.8 * (sorted.length - 1))]);
  const xs: number[] = [];
  const ys: number[] = [];
  const angles: number[] = [];
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      if (!near[i] || blocked[i] || Math.hypot(gx[i], gy[i]) < threshold) continue;
      xs.push(x);
      ys.push(y);
      angles.push(((Math.round((Math.atan2(gy[i], gx[i]) * 180) / Math.PI) % 180) + 180) % 180);
    }
  }
  return { x: Int32Array.from(xs), y: Int32Array.from(ys), angle: Int32Array.from(angles), count: xs.length };
}

/** Clears the bins around a found line (angles wrap round at 180 with the sign of rho flipped). */
function suppress(votes: Int32Array, rhos: number, theta: number, rhoBin: number): void {
  const spread = VOTE_SPREAD + 2;
  for (let d = -spread; d <= spread; d++) {
    let t = theta + d;
    let r = rhoBin;
    if (t < 0 || t >= 180) {
      t = (t + 180) % 180;
      r = rhos - 1 - rhoBin;
    }
    for (let k = -4; k <= 4; k++) {
      const at = r + k;
      if (at >= 0 && at < rhos) votes[t * rhos + at] = 0;
    }
  }
}

/**
 * The line (theta, rho) if it crosses the hole with edge support on both sides: its first run of hole
 * pixels with a few supporting edge pixels within the ring's width before it and after it. The line
 * returned is refitted through the two sides' supports (the centroid of each), so that an edge which
 * comes out of the hole a pixel or two from where a straight extension would put it is still joined.
 */
function crossing(
  theta: number,
  rho: number,
  edges: Edges,
  hole: Uint8Array,
  width: number,
  height: number,
  ring: number,
): StructureLine | null {
  const nx = COS[theta];
  const ny = SIN[theta];
  const dx = -ny;
  const dy = nx;
  // The point of the line nearest the window's centre is t = 0.
  const offset = (width / 2) * nx + (height / 2) * ny - rho;
  const px = width / 2 - offset * nx;
  const py = height / 2 - offset * ny;
  // Supporting edges: near the line (within 3 px) and oriented with it (within 10 degrees).
  const support: Array<{ t: number; x: number; y: number }> = [];
  for (let k = 0; k < edges.count; k++) {
    const ex = edges.x[k] - px;
    const ey = edges.y[k] - py;
    if (Math.abs(ex * nx + ey * ny) > 3) continue;
    const turn = Math.abs(edges.angle[k] - theta);
    if (Math.min(turn, 180 - turn) > 10) continue;
    support.push({ t: ex * dx + ey * dy, x: edges.x[k], y: edges.y[k] });
  }
  const reach = Math.hypot(width, height);
  const inside = (t: number) => {
    const x = Math.round(px + t * dx);
    const y = Math.round(py + t * dy);
    return x >= 0 && y >= 0 && x < width && y < height ? (hole[y * width + x] ? 1 : 0) : -1;
  };
  for (let t = -reach; t <= reach; t++) {
    if (inside(t) !== 1) continue;
    let end = t;
    while (inside(end + 1) === 1) end++;
    // The picture's border ends the support as much as the ring does.
    const room = (from: number, step: number) => {
      let n = 0;
      while (n < ring && inside(from + step * (n + 1)) === 0) n++;
      return n;
    };
    const before = support.filter((a) => a.t < t && a.t >= t - ring - 2);
    const after = support.filter((a) => a.t > end && a.t <= end + ring + 2);
    // The edge must run on, unbroken, through most of the ring on both sides: texture has short edges
    // in every direction, structure has long straight ones. Lengths count distinct steps along the line.
    const [roomBefore, roomAfter] = [room(t, -1), room(end, 1)];
    const [lengthBefore, lengthAfter] = [distinctSteps(before), distinctSteps(after)];
    const need = (space: number) => Math.max(6, 0.7 * space);
    if (lengthBefore >= need(roomBefore) && lengthAfter >= need(roomAfter)) {
      const line = refit(before, after, hole, width, height);
      // Strong: long on both sides of a large hole (the sign's post), where a looser test of the band is safe.
      if (line) line.strong = ring >= 16 && lengthBefore >= 0.8 * roomBefore && lengthAfter >= 0.8 * roomAfter;
      return line;
    }
    t = end;
  }
  return null;
}

function distinctSteps(points: Array<{ t: number }>): number {
  return new Set(points.map((p) => Math.round(p.t))).size;
}

/** The line through the centroids of the supports before and after the hole, with its run through the hole. */
function refit(
  before: Array<{ x: number; y: number }>,
  after: Array<{ x: number; y: number }>,
  hole: Uint8Array,
  width: number,
  height: number,
): StructureLine | null {
  const centroid = (points: Array<{ x: number; y: number }>) => ({
    x: points.reduce((s, p) => s + p.x, 0) / points.length,
    y: points.reduce((s, p) => s + p.y, 0) / points.length,
  });
  const a = centroid(before);
  const b = centroid(after);
  const length = Math.hypot(b.x - a.x, b.y - a.y);
  if (length < 2) return null;
  const dx = (b.x - a.x) / length;
  const dy = (b.y - a.y) / length;
  // The normal (dy, -dx) with a normal angle in 0..179, as the Hough bins have it.
  let theta = Math.round((Math.atan2(-dx, dy) * 180) / Math.PI);
  let sign = 1;
  if (theta < 0) {
    theta += 180;
    sign = -1;
  }
  theta %= 180;
  const rho = sign * (a.x * dy - a.y * dx);
  let enter = Infinity;
  let exit = -Infinity;
  for (let t = 0; t <= length; t++) {
    const x = Math.round(a.x + t * dx);
    const y = Math.round(a.y + t * dy);
    if (x < 0 || y < 0 || x >= width || y >= height || !hole[y * width + x]) continue;
    enter = Math.min(enter, t);
    exit = Math.max(exit, t);
  }
  if (!Number.isFinite(enter)) return null;
  return { dx, dy, px: a.x, py: a.y, theta, rho, enter, exit };
}
