/**
 * "Replace the logo with a blank sign": the sign's own plain surface, with its lighting, where the logo
 * was. The surface is the dominant colour of the ring around the region (the most common colour, not the
 * median, which mixes in the sign's border and whatever is behind it), and its lighting a plane fitted to
 * those surface pixels by least squares, per channel, so a sign lit from one side stays lit from that side.
 * Pure; runs in the imaging workers (task `surfaceFill`).
 */

export interface SurfaceFillInput {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
  /** > 127: the region to fill. */
  hole: Uint8Array;
  /** > 127: the ring the surface is read from (the hole excluded, unless `readInside`). */
  ring: Uint8Array;
  /**
   * Read the ring's pixels inside the hole too: text on a sign's plate is filled from the plate's own pixels,
   * those between the letters included (they hold most of the plate's lighting), not only from its margins.
   */
  readInside?: boolean;
}

/** RGB of the whole picture's size with the fitted surface in the hole (elsewhere zero); null if the ring is empty. */
export function surfaceFill(input: SurfaceFillInput): Uint8Array | null {
  const { data, width, height, channels, hole, ring } = input;
  const skip = (i: number) => ring[i] <= 127 || (!input.readInside && hole[i] > 127);
  // 1. The dominant colour: the fullest cell of a 16-level-per-channel histogram of the ring.
  const cells = new Uint32Array(4096);
  for (let i = 0; i < hole.length; i++) {
    if (skip(i)) continue;
    const p = i * channels;
    cells[((data[p] >> 4) << 8) | ((data[p + 1] >> 4) << 4) | (data[p + 2] >> 4)]++;
  }
  let best = 0;
  for (let c = 1; c < cells.length; c++) if (cells[c] > cells[best]) best = c;
  if (cells[best] === 0) return null;
  const centre = [((best >> 8) << 4) + 8, (((best >> 4) & 15) << 4) + 8, ((best & 15) << 4) + 8];
  // 2. A plane a + b x + c y per channel through the ring pixels near that colour (normal equations).
  const m = new Float64Array(9);
  const rhs = [new Float64Array(3), new Float64Array(3), new Float64Array(3)];
  const sx = 1 / width;
  const sy = 1 / height;
  for (let i = 0; i < hole.length; i++) {
    if (skip(i)) continue;
    const p = i * channels;
    const d = Math.abs(data[p] - centre[0]) + Math.abs(data[p + 1] - centre[1]) + Math.abs(data[p + 2] - centre[2]);
    if (d > 60) continue;
    const basis = [1, (i % width) * sx, Math.floor(i / width) * sy];
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 3; c++) m[r * 3 + c] += basis[r] * basis[c];
      for (let k = 0; k < 3; k++) rhs[k][r] += basis[r] * data[p + k];
    }
  }
  const planes = rhs.map((b) => solve3(m, b));
  const out = new Uint8Array(width * height * 3);
  for (let i = 0; i < hole.length; i++) {
    if (hole[i] <= 127) continue;
    const x = (i % width) * sx;
    const y = Math.floor(i / width) * sy;
    for (let k = 0; k < 3; k++) {
      const [a, b, c] = planes[k] ?? [centre[k], 0, 0];
      out[i * 3 + k] = Math.max(0, Math.min(255, Math.round(a + b * x + c * y)));
    }
  }
  return out;
}

/** Solves the symmetric 3x3 system m v = b (Cramer's rule); null when it is singular (a ring on one line). */
function solve3(m: Float64Array, b: Float64Array): [number, number, number] | null {
  const det = (a: number[]) =>
    a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6]) + a[2] * (a[3] * a[7] - a[4] * a[6]);
  const base = Array.from(m);
  const d = det(base);
  if (Math.abs(d) < 1e-9) return null;
  const column = (k: number) => base.map((v, i) => (i % 3 === k ? b[Math.floor(i / 3)] : v));
  return [det(column(0)) / d, det(column(1)) / d, det(column(2)) / d];
}
