import { boxMean } from '../guided-filter.js';
import { findSkyCells } from './find-sky.js';
import { growIntoShade } from './foliage-shade.js';
import { CellMask, components, growFrom, type CellComponent } from './grid-regions.js';
import { colourDistance, type StuffGrid } from './stuff-grid.js';
import { findSurfaceCells } from './surface-rules.js';

/**
 * The kinds of stuff found without a detector, each by its colour, texture and place in the picture (the
 * cues a person uses too): grass is green and lies low, water is blue below the sky, sand is pale warm
 * ground, snow is white ground, foliage is green and textured anywhere (with the shade of a canopy linked to
 * it, foliage-shade.ts). Walls and floors, large even surfaces told apart by place, are in surface-rules.ts.
 * Good enough for colour and tone edits, which fade out at the refined edge; not a segmentation to cut
 * things out with.
 */

export const STUFF_KINDS = ['sky', 'grass', 'water', 'sand', 'snow', 'foliage', 'wall', 'floor'] as const;
export type StuffKind = (typeof STUFF_KINDS)[number];

export type CellVerdict = { cells: CellMask } | { cells: null; reason: string };

interface Rule {
  /** What a cell of this stuff looks like. */
  looks: (grid: StuffGrid, c: number) => boolean;
  /** How far apart neighbouring cells' colours may be and still be the same stretch of it. */
  coherence: number;
  /** Which connected parts count (place and size). */
  keep: (part: CellComponent, grid: StuffGrid) => boolean;
  /** Why nothing was found, in words a person can check against the photo. */
  missing: string;
  /** Stuff that is never sky (the sky is taken out first). */
  notSky?: boolean;
  /**
   * Cells that belong to the stuff when near enough to what plainly is (see `near`) though they do not look
   * it alone: the shaded inside of a tree, dark and grey, is foliage because sunlit leaves surround it.
   */
  alsoNear?: (grid: StuffGrid, c: number) => boolean;
  /** The share of a cell's neighbourhood that must look the part (0.5 unless said). */
  density?: number;
  /** Also take in the deep shade of a canopy linked to what was found (foliage-shade.ts). */
  shade?: boolean;
}

/** Radius, in cells, within which `alsoNear` cells must see the stuff, and the share of it they must see. */
const NEAR_RADIUS = 10;
const NEAR_SHARE = 0.04;

/** A sky covering this share of the picture or more makes it an outdoor photo, with no floor. */
const OUTDOORS_SKY = 0.1;

/** Radius, in cells, of the neighbourhood a cell is judged by. */
const NEIGHBOURHOOD = 3;
const share = (part: CellComponent, grid: StuffGrid) => part.size / (grid.width * grid.height);
const centreRow = (part: CellComponent, grid: StuffGrid) => (part.top + part.bottom) / 2 / grid.height;
const hueIn = (grid: StuffGrid, c: number, lo: number, hi: number) => grid.hue[c] >= lo && grid.hue[c] <= hi;

const RULES: Record<Exclude<StuffKind, 'sky' | 'wall' | 'floor'>, Rule> = {
  grass: {
    looks: (g, c) => hueIn(g, c, 60, 165) && g.sat[c] > 0.2 && g.luma[c] > 35 && g.luma[c] < 215 && g.g[c] >= g.b[c],
    coherence: 40,
    keep: (p, g) => share(p, g) >= 0.01 && p.bottom / g.height >= 0.55,
    missing: 'nothing green lies in the lower part of the picture',
  },
  foliage: {
    looks: (g, c) => hueIn(g, c, 62, 175) && g.sat[c] > 0.12 && g.luma[c] < 210 && g.spread[c] > 2,
    coherence: 45,
    // Small clumps are kept as seeds; the whole must still cover 1% (checked once grown, below).
    keep: (p, g) => share(p, g) >= 0.002,
    missing: 'nothing green and leafy covers more than 1% of the picture',
    // Sunlit leaves are flecks among shade: a third of a neighbourhood is a canopy.
    density: 0.25,
    // Leaves in shade: textured, darker, of no strong colour other than green (a red shirt or an orange
    // sign among the leaves is not foliage).
    alsoNear: (g, c) => g.spread[c] > 4 && g.luma[c] < 150 && (hueIn(g, c, 45, 180) || g.sat[c] < 0.3),
    // And deeper in, where a daylight white balance turns the leaves purple-grey.
    shade: true,
  },
  water: {
    looks: (g, c) => hueIn(g, c, 165, 250) && g.sat[c] > 0.1 && g.luma[c] > 25,
    coherence: 30,
    keep: (p, g) => share(p, g) >= 0.02 && centreRow(p, g) >= 0.35,
    missing: 'nothing blue or blue-green lies below the sky',
    notSky: true,
  },
  sand: {
    looks: (g, c) => hueIn(g, c, 18, 60) && g.sat[c] > 0.1 && g.sat[c] < 0.6 && g.luma[c] > 105 && g.spread[c] < 16,
    coherence: 28,
    keep: (p, g) => share(p, g) >= 0.02 && p.bottom / g.height >= 0.7,
    missing: 'no pale warm ground reaches the lower part of the picture',
    notSky: true,
  },
  snow: {
    looks: (g, c) => g.luma[c] > 185 && g.sat[c] < 0.14,
    coherence: 30,
    keep: (p, g) => share(p, g) >= 0.02 && centreRow(p, g) >= 0.3,
    missing: 'no white ground lies below the sky',
    notSky: true,
  },
};

/**
 * The cells of `kind` on the grid, or why there are none.
 *
 * @example const grass = findStuffCells(grid, 'grass');
 */
export function findStuffCells(grid: StuffGrid, kind: StuffKind): CellVerdict {
  if (kind === 'sky') return findSkyCells(grid);
  if (kind === 'wall' || kind === 'floor') {
    // Under a sky the ground is a street, a square or a lawn: editing it as "the floor" would be a guess. A
    // sky of a few percent may be a pale panel indoors (motorcycle_left.png's whiteboard is taken for 4%).
    const sky = kind === 'floor' ? findSkyCells(grid) : null;
    if (sky?.cells && sky.share >= OUTDOORS_SKY)
      return { cells: null, reason: 'the photo is outdoors (it has a sky), so the ground in it is not a floor' };
    return findSurfaceCells(grid, kind, notSurface(grid));
  }
  const rule = RULES[kind];
  let sky: CellMask | null = null;
  if (rule.notSky) {
    const found = findSkyCells(grid);
    sky = found.cells;
  }
  // Stuff is judged by its neighbourhood, not cell by cell: leaves alternate with gaps and shadows, a road
  // with its markings, so a cell counts when most cells around it look the part.
  const n = grid.width * grid.height;
  const raw = new Float32Array(n);
  for (let c = 0; c < n; c++) raw[c] = rule.looks(grid, c) && !sky?.has(c) ? 1 : 0;
  const density = boxMean(raw, grid.width, grid.height, NEIGHBOURHOOD);
  const looks = (c: number) => density[c] >= (rule.density ?? 0.5) && !sky?.has(c);
  // Coherent stretches: grown from each part's cells through similar neighbours that look the part.
  const parts = components(grid, looks).filter((part) => rule.keep(part, grid));
  if (parts.length === 0) return { cells: null, reason: rule.missing };
  const seeds = parts.flatMap((part) => part.cells);
  const cells = growFrom(grid, seeds, (from, to) => looks(to) && colourDistance(grid, from, to) < rule.coherence);
  if (!rule.alsoNear) return { cells };
  const alsoNear = rule.alsoNear;
  // Measured on the flecks that plainly look the part, so the shade never grows past the canopy's reach.
  const around = boxMean(raw, grid.width, grid.height, NEAR_RADIUS);
  const near = (c: number) => around[c] >= NEAR_SHARE && !sky?.has(c) && alsoNear(grid, c);
  const nearby = growFrom(grid, [...cells.indices()], (_from, to) => near(to), cells);
  const grown = rule.shade ? growIntoShade(grid, nearby, sky) : nearby;
  return grown.count() >= 0.01 * grid.width * grid.height ? { cells: grown } : { cells: null, reason: rule.missing };
}

/** The sky, the foliage and the grass: never a wall or a floor (trees in front of a wall are taken out first). */
function notSurface(grid: StuffGrid): CellMask {
  const out = new CellMask(grid.width, grid.height);
  for (const found of [findSkyCells(grid).cells, findStuffCells(grid, 'foliage').cells, findStuffCells(grid, 'grass').cells])
    if (found) for (let c = 0; c < out.data.length; c++) out.data[c] |= found.data[c];
  return out;
}

/** Words people use for each kind, singular and plural (the finder's vocabulary). */
export const STUFF_WORDS: Record<StuffKind, string[]> = {
  sky: ['sky', 'skies', 'clouds', 'cloudy sky', 'blue sky', 'the heavens'],
  grass: ['grass', 'lawn', 'lawns', 'turf', 'meadow', 'field', 'grassy area'],
  water: ['water', 'sea', 'ocean', 'lake', 'river', 'pond', 'pool', 'waves'],
  sand: ['sand', 'beach', 'sandy beach', 'dunes', 'desert'],
  snow: ['snow', 'snowy ground', 'ice'],
  foliage: ['trees', 'foliage', 'leaves', 'bushes', 'hedge', 'hedges', 'greenery', 'plants', 'forest', 'woods'],
  wall: ['wall', 'walls', 'facade', 'plaster'],
  floor: ['floor', 'floors', 'flooring', 'tiled floor', 'carpet'],
};
