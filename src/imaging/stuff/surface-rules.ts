import { boxMean } from '../guided-filter.js';
import { type CellComponent, CellMask, components, fillHoles, growFrom } from './grid-regions.js';
import type { StuffGrid } from './stuff-grid.js';

/**
 * Walls and floors as stuff: large, even surfaces of one colour, told apart by where they lie. Both are even
 * at a scale of a few cells (paint, plaster, stone blocks, concrete, a studio backdrop; leaves, wood grain and
 * clutter are mottled) and of no strong colour. Even cells are grouped into stretches through neighbours a
 * small lightness step away whose chromaticity stays near the stretch's own mean (not merely near the
 * neighbour's, which would creep along a soft edge from a backdrop into a face), so a wall's shading is one
 * stretch and a face, a sign or a shirt another. A wall reaches an edge of the picture (it goes on past the
 * frame; a sign, a car or a panel in front of it does not) and into its upper half, is at least a twelfth of
 * the picture wide and a quarter high, not over four times as tall as wide (a post), and fills a fair part of its bounding box; its
 * rougher patches of its own colour within its span (stone blocks) are then taken in. A floor runs along at
 * least half of the bottom edge and up into the picture, starting below its upper 40% and at least 15% of
 * it high (not a strip of road at the very bottom); outdoors there is none (stuff-rules.ts). Without lines or depth this is a guess on colour and
 * place (a door of the wall's own colour is taken in with it): fit for a colour or tone edit with edges that
 * fade; when no stretch fits, the finder refuses rather than paint another.
 */

export type SurfaceKind = 'wall' | 'floor';

/** Radius, in cells, over which evenness is judged. */
const EVEN_RADIUS = 2;
/** Mean of the smaller pixel step (across or down) per unit of lightness under which a place is even. */
const MAX_MOTTLE = 0.07;
/** Largest lightness step (0..255) between neighbouring cells of one surface. */
const MAX_STEP = 10;
/** The least share of the picture a wall or a floor, all its stretches together, covers. */
const MIN_SHARE = 0.05;
/** How far a cell's chromaticity may be from its stretch's mean. */
const CHROMA_SPREAD = 0.06;

interface Surface {
  /** Whether a cell of this surface looks the part (beyond being even). */
  looks: (g: StuffGrid, c: number) => boolean;
  keep: (part: CellComponent, g: StuffGrid) => boolean;
  missing: string;
}

const share = (part: CellComponent, g: StuffGrid) => part.size / (g.width * g.height);
const touchesBorder = (p: CellComponent, g: StuffGrid) =>
  p.top === 0 || p.left === 0 || p.right === g.width - 1 || p.bottom === g.height - 1;
const fill = (p: CellComponent) => p.size / ((p.right - p.left + 1) * (p.bottom - p.top + 1));
const wide = (p: CellComponent, g: StuffGrid) => (p.right - p.left + 1) / g.width;
const tall = (p: CellComponent, g: StuffGrid) => (p.bottom - p.top + 1) / g.height;

/** Over four times as tall as wide on the photo: a post, a pole, a door frame, not a wall. */
const postLike = (p: CellComponent, g: StuffGrid) =>
  (p.bottom - p.top + 1) * g.cellHeight > 4 * (p.right - p.left + 1) * g.cellWidth;

/** Along half the bottom edge or more and starting below the top 40%: the ground in front. */
function isGround(p: CellComponent, g: StuffGrid): boolean {
  if (p.bottom !== g.height - 1 || p.top / g.height < 0.4) return false;
  const lastRow = (g.height - 1) * g.width;
  let along = 0;
  for (const c of p.cells) if (c >= lastRow) along++;
  return along >= 0.5 * g.width;
}

const SURFACES: Record<SurfaceKind, Surface> = {
  wall: {
    // Pale or muted: a saturated region is more often a thing (a shirt, a car) than paint.
    looks: (g, c) => g.sat[c] < 0.35 && g.luma[c] > 40,
    keep: (p, g) =>
      share(p, g) >= 0.03 &&
      touchesBorder(p, g) &&
      // Up into the upper half: a smooth stretch only in the lower half is something in front (a cat's
      // chest out of focus, a table) or the ground, more often than a wall.
      p.top / g.height < 0.5 &&
      wide(p, g) >= 0.08 &&
      tall(p, g) >= 0.25 &&
      !postLike(p, g) &&
      fill(p) >= 0.3 &&
      !isGround(p, g),
    missing: 'no large even surface of one muted colour reaches an edge of the picture',
  },
  floor: {
    looks: (g, c) => g.sat[c] < 0.55 && g.luma[c] > 30,
    keep: (p, g) => share(p, g) >= 0.05 && isGround(p, g) && tall(p, g) >= 0.15,
    missing: 'no even surface of one colour runs along the bottom edge up into the picture',
  },
};

/**
 * The cells of the wall(s) or the floor, or why there are none. `outside`: cells that are never the surface
 * (the sky, the foliage, the grass).
 *
 * @example const floor = findSurfaceCells(grid, 'floor', sky);
 */
export function findSurfaceCells(
  grid: StuffGrid,
  kind: SurfaceKind,
  outside: CellMask | null,
): { cells: CellMask } | { cells: null; reason: string } {
  const surface = SURFACES[kind];
  const { width: w, height: h } = grid;
  const flat = new Float32Array(w * h);
  for (let c = 0; c < flat.length; c++) flat[c] = Math.min(grid.acrossStep[c], grid.downStep[c]);
  const mottle = boxMean(flat, w, h, EVEN_RADIUS);
  const light = boxMean(grid.luma, w, h, EVEN_RADIUS);
  // Steps and colour judged on a 3x3 mean, so that where a cell is a pixel or two, noise does not split a wall.
  const smooth = boxMean(grid.luma, w, h, 1);
  const candidate = (c: number) => mottle[c] / (light[c] + 20) < MAX_MOTTLE && !outside?.has(c) && surface.looks(grid, c);
  let cells = new CellMask(w, h);
  for (const part of stretches(grid, smooth, candidate)) {
    if (!surface.keep(part, grid)) continue;
    for (const c of part.cells) cells.data[c] = 1;
  }
  if (cells.count() === 0) return { cells: null, reason: surface.missing };
  // Patches inside the surface of its own colour and lightness (rougher stone blocks, a stain) are part of
  // it; darker or brighter ones (a window, a door, a picture, a leaf in front) are not.
  const own = meanOf(grid, cells.indices());
  // Rougher parts of the same surface (stone blocks, brick, a worn patch) are too mottled to start a stretch
  // but are the wall all the same: taken in from it where their colour and lightness are the surface's own,
  // within the rows and columns it already spans (so it does not climb a tree trunk of the same grey).
  const { u, v } = chromaticity(grid);
  const span = describe([...cells.indices()], w);
  cells = growFrom(
    grid,
    [...cells.indices()],
    (_from, to) =>
      within(span, to, w) &&
      !outside?.has(to) &&
      mottle[to] / (light[to] + 20) < 2 * MAX_MOTTLE &&
      Math.abs(grid.luma[to] - own.luma) < 20 &&
      Math.hypot(u[to] - own.u, v[to] - own.v) < CHROMA_SPREAD,
    cells,
  );
  cells = fillHoles(grid, cells, (hole) => {
    const patch = meanOf(grid, hole.cells);
    return Math.abs(patch.luma - own.luma) < 25 && Math.hypot(patch.u - own.u, patch.v - own.v) < CHROMA_SPREAD;
  });
  // A few percent of even background (chelsea.png's blur behind the cat) is not yet a wall to repaint.
  const covered = cells.count() / (w * h);
  if (covered < MIN_SHARE)
    return { cells: null, reason: `the largest even surface covers only ${(100 * covered).toFixed(1)}% of the picture` };
  return { cells };
}

/** Enclosed holes of at least this share of the grid that make a wall too broken up to edit. */
const HOLE_SIZE = 0.001;
const MAX_HOLES = 8;

/**
 * Why a found wall is too broken up to edit, or null: patches of another colour or lightness enclosed by it
 * (leaves hanging in front, shadows, dark stone) that a recolour would leave as blotches of the old wall
 * (building-facade.jpg's, 13 of them, came out as a camouflage pattern). A window or two are fine.
 *
 * @example const why = brokenUp(grid, wall.cells); if (why) refuse(why);
 */
export function brokenUp(grid: StuffGrid, cells: CellMask): string | null {
  const { width: w, height: h } = grid;
  let holes = 0;
  for (const hole of components(grid, (c) => !cells.has(c))) {
    const touchesEdge = hole.top === 0 || hole.left === 0 || hole.right === w - 1 || hole.bottom === h - 1;
    if (!touchesEdge && hole.size >= HOLE_SIZE * w * h) holes++;
  }
  return holes >= MAX_HOLES
    ? `what looks like one is broken up by ${holes} patches of another colour or lightness (leaves in front of it, shadows, windows), which a new colour would leave as blotches`
    : null;
}

/**
 * Stretches of candidate cells grown from each unvisited one through 4-neighbours that are a small
 * lightness step away (shading on a surface changes slowly) and whose chromaticity (colour with lightness
 * divided out, which shading leaves alone) is within CHROMA_SPREAD of the stretch's running mean: a lit and
 * a shaded part of one wall join, a face or a tree trunk against it does not.
 */
function stretches(grid: StuffGrid, luma: Float32Array, candidate: (c: number) => boolean): CellComponent[] {
  const { width: w, height: h } = grid;
  const { u, v } = chromaticity(grid);
  const seen = new Uint8Array(w * h);
  const parts: CellComponent[] = [];
  for (let s = 0; s < w * h; s++) {
    if (seen[s] || !candidate(s)) continue;
    seen[s] = 1;
    const cells = [s];
    let mu = u[s];
    let mv = v[s];
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i];
      const x = c % w;
      for (const m of [x > 0 ? c - 1 : -1, x < w - 1 ? c + 1 : -1, c >= w ? c - w : -1, c < w * (h - 1) ? c + w : -1]) {
        if (m < 0 || seen[m] || !candidate(m)) continue;
        if (Math.abs(luma[m] - luma[c]) > MAX_STEP) continue;
        if (Math.hypot(u[m] - mu, v[m] - mv) > CHROMA_SPREAD) continue;
        seen[m] = 1;
        cells.push(m);
        mu += (u[m] - mu) / cells.length;
        mv += (v[m] - mv) / cells.length;
      }
    }
    parts.push(describe(cells, w));
  }
  return parts;
}

/** Each cell's chromaticity, two opponent colours divided by lightness, on a 3x3 mean (see `stretches`). */
function chromaticity(grid: StuffGrid): { u: Float32Array; v: Float32Array } {
  const { width: w, height: h } = grid;
  const u = new Float32Array(w * h);
  const v = new Float32Array(w * h);
  for (let c = 0; c < u.length; c++) {
    const scale = grid.luma[c] + 30;
    u[c] = (grid.r[c] - grid.g[c]) / scale;
    v[c] = ((grid.r[c] + grid.g[c]) / 2 - grid.b[c]) / scale;
  }
  return { u: boxMean(u, w, h, 1), v: boxMean(v, w, h, 1) };
}

/** Mean lightness and chromaticity (as in `stretches`) of some cells. */
function meanOf(grid: StuffGrid, cells: Iterable<number>): { luma: number; u: number; v: number } {
  let [luma, r, g, b, n] = [0, 0, 0, 0, 0];
  for (const c of cells) {
    luma += grid.luma[c];
    r += grid.r[c];
    g += grid.g[c];
    b += grid.b[c];
    n++;
  }
  const scale = luma / n + 30;
  return { luma: luma / n, u: (r - g) / n / scale, v: ((r + g) / 2 - b) / n / scale };
}

function within(span: CellComponent, c: number, w: number): boolean {
  const x = c % w;
  const y = (c - x) / w;
  return x >= span.left && x <= span.right && y >= span.top && y <= span.bottom;
}

function describe(cells: number[], w: number): CellComponent {
  const part: CellComponent = { cells, size: cells.length, meanLuma: 0, top: Infinity, bottom: 0, left: w, right: 0 };
  for (const c of cells) {
    const x = c % w;
    const y = (c - x) / w;
    part.top = Math.min(part.top, y);
    part.bottom = Math.max(part.bottom, y);
    part.left = Math.min(part.left, x);
    part.right = Math.max(part.right, x);
  }
  return part;
}
