import type { StuffGrid } from './stuff-grid.js';

/**
 * Regions on the analysis grid: a set of cells, grown from seeds through neighbours that pass a test,
 * split into connected parts, and with enclosed holes filled. The finders of sky and other stuff are
 * written with these.
 */

export class CellMask {
  readonly data: Uint8Array;
  constructor(
    readonly width: number,
    readonly height: number,
    data?: Uint8Array,
  ) {
    this.data = data ?? new Uint8Array(width * height);
  }

  has(c: number): boolean {
    return this.data[c] !== 0;
  }

  *indices(): Generator<number> {
    for (let c = 0; c < this.data.length; c++) if (this.data[c]) yield c;
  }

  count(): number {
    let k = 0;
    for (let c = 0; c < this.data.length; c++) if (this.data[c]) k++;
    return k;
  }
}

function neighbours(c: number, w: number, h: number, out: number[]): number[] {
  out.length = 0;
  const x = c % w;
  if (x > 0) out.push(c - 1);
  if (x < w - 1) out.push(c + 1);
  if (c >= w) out.push(c - w);
  if (c < w * (h - 1)) out.push(c + w);
  return out;
}

/**
 * Breadth-first growth from `seeds` into 4-neighbours for which `accept(from, to)` holds. `start`, when
 * given, is copied and grown further (its cells count as reached).
 */
export function growFrom(
  grid: StuffGrid,
  seeds: Iterable<number>,
  accept: (from: number, to: number) => boolean,
  start?: CellMask,
): CellMask {
  const { width: w, height: h } = grid;
  const mask = new CellMask(w, h, start ? start.data.slice() : undefined);
  const queue = new Int32Array(w * h);
  let head = 0;
  let tail = 0;
  for (const s of seeds) {
    mask.data[s] = 1;
    queue[tail++] = s;
  }
  const near: number[] = [];
  while (head < tail) {
    const c = queue[head++];
    for (const m of neighbours(c, w, h, near)) {
      if (mask.data[m] || !accept(c, m)) continue;
      mask.data[m] = 1;
      queue[tail++] = m;
    }
  }
  return mask;
}

export interface CellComponent {
  cells: number[];
  size: number;
  meanLuma: number;
  /** Bounding rows and columns, in cells. */
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** The 4-connected parts of the cells where `inside(c)` holds, largest first. */
export function components(grid: StuffGrid, inside: (c: number) => boolean): CellComponent[] {
  const { width: w, height: h } = grid;
  const label = new Int32Array(w * h).fill(-1);
  const parts: CellComponent[] = [];
  const near: number[] = [];
  for (let s = 0; s < w * h; s++) {
    if (label[s] >= 0 || !inside(s)) continue;
    const id = parts.length;
    const part: CellComponent = { cells: [s], size: 0, meanLuma: 0, top: h, bottom: 0, left: w, right: 0 };
    label[s] = id;
    for (let i = 0; i < part.cells.length; i++) {
      const c = part.cells[i];
      for (const m of neighbours(c, w, h, near)) {
        if (label[m] >= 0 || !inside(m)) continue;
        label[m] = id;
        part.cells.push(m);
      }
    }
    let luma = 0;
    for (const c of part.cells) {
      const x = c % w;
      const y = (c - x) / w;
      luma += grid.luma[c];
      part.top = Math.min(part.top, y);
      part.bottom = Math.max(part.bottom, y);
      part.left = Math.min(part.left, x);
      part.right = Math.max(part.right, x);
    }
    part.size = part.cells.length;
    part.meanLuma = luma / part.size;
    parts.push(part);
  }
  return parts.sort((a, b) => b.size - a.size);
}

/** Adds to `mask` the parts of its complement that touch no border of the picture and that `keep` accepts. */
export function fillHoles(grid: StuffGrid, mask: CellMask, keep: (hole: CellComponent) => boolean): CellMask {
  const { width: w, height: h } = grid;
  const out = new CellMask(w, h, mask.data.slice());
  for (const hole of components(grid, (c) => !mask.has(c))) {
    const touchesBorder = hole.top === 0 || hole.left === 0 || hole.right === w - 1 || hole.bottom === h - 1;
    if (touchesBorder || !keep(hole)) continue;
    for (const c of hole.cells) out.data[c] = 1;
  }
  return out;
}

/** The lightness below which `fraction` of the cells lie. */
export function lumaPercentile(grid: StuffGrid, fraction: number): number {
  const sorted = Float32Array.from(grid.luma).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}
