import { colourDistance, type StuffGrid } from './stuff-grid.js';
import { fillHoles, growFrom, lumaPercentile, type CellMask } from './grid-regions.js';

/**
 * Finds the sky on the analysis grid, as photo editors' sky selections do without a learned model: the
 * sky is what is smooth, blue or bright grey, and reaches the top border; clouds and birds enclosed by it
 * belong to it. Buildings, trees, towers and people stop it because they are textured, darker or of
 * another colour. The cell mask is refined to the photo's own edges afterwards (refine-mask.ts).
 */

export type SkyVerdict = { cells: CellMask; share: number } | { cells: null; reason: string };

/**
 * Whether a pale region's mean colour leans warm or green: overcast and hazy skies are neutral grey or
 * lean blue, while painted walls, paper and studio backdrops (the astronaut's) lean yellow or green.
 */
function tintedLikeAWall(grid: StuffGrid, cells: CellMask): boolean {
  let r = 0;
  let g = 0;
  let b = 0;
  let n = 0;
  for (const c of cells.indices()) {
    r += grid.r[c];
    g += grid.g[c];
    b += grid.b[c];
    n++;
  }
  [r, g, b] = [r / n, g / n, b / n];
  return b < r - 3 || g > Math.max(r, b) + 3;
}

/** Under this share of the picture, what reaches the top is a gap between things, not a sky to edit. */
const MIN_SKY_SHARE = 0.03;

/**
 * @example const sky = findSkyCells(stuffGrid(data, width, height, 3)); if (!sky.cells) refuse(sky.reason);
 */
export function findSkyCells(grid: StuffGrid): SkyVerdict {
  const { width: gw, height: gh } = grid;
  const n = gw * gh;
  const bright = lumaPercentile(grid, 0.6);
  // A deep dusk blue is dark (rocket.jpg's top is at lightness 20) but strongly coloured, so it still counts.
  const isBlue = (c: number) =>
    grid.hue[c] >= 185 &&
    grid.hue[c] <= 265 &&
    ((grid.sat[c] > 0.12 && grid.luma[c] > 30) || (grid.sat[c] > 0.35 && grid.luma[c] > 10));
  const isPale = (c: number) => grid.sat[c] < 0.22 && grid.luma[c] >= Math.max(120, bright);
  // Smooth: little spread inside the cell and no edge to the neighbours.
  const smooth = (c: number, loose = 1) => grid.spread[c] < 9 * loose && grid.step[c] < 8 * loose;
  const candidate = (c: number) => smooth(c) && (isBlue(c) || isPale(c));

  const seeds: number[] = [];
  for (let x = 0; x < gw; x++) if (candidate(x)) seeds.push(x);
  if (seeds.length < Math.max(2, gw * 0.05)) {
    return { cells: null, reason: 'nothing smooth and blue, grey or white reaches the top edge of the picture' };
  }
  // Grow from the top row through similar neighbours: a gradual sky gradient passes, a roof line does not.
  const cells = growFrom(grid, seeds, (from, to) => candidate(to) && colourDistance(grid, from, to) < 16);
  // Second pass: soft cloud edges and the haze near the horizon, paler or bluer but less smooth.
  const cloudy = (c: number) => smooth(c, 2.2) && (isBlue(c) || (grid.sat[c] < 0.25 && grid.luma[c] >= bright * 0.9));
  const grown = growFrom(grid, [...cells.indices()], (from, to) => cloudy(to) && colourDistance(grid, from, to) < 28, cells);

  let skyLuma = 0;
  let count = 0;
  for (const c of grown.indices()) {
    skyLuma += grid.luma[c];
    count++;
  }
  if (count / n < MIN_SKY_SHARE) {
    return {
      cells: null,
      reason: `the smooth blue or pale region at the top covers only ${(100 * (count / n)).toFixed(1)}% of the picture, too little to be a sky`,
    };
  }
  skyLuma /= count;
  const blueShare = [...grown.indices()].filter(isBlue).length / count;
  if (blueShare < 0.25 && tintedLikeAWall(grid, grown)) {
    return {
      cells: null,
      reason:
        'the smooth pale region at the top is a warm or greenish grey, as a wall or a studio backdrop is, where an overcast sky is neutral or cool',
    };
  }
  if (blueShare < 0.25 && skyLuma < lumaPercentile(grid, 0.5) + 10) {
    return {
      cells: null,
      reason:
        'the smooth region at the top is neither blue nor brighter than the rest, so it reads as a wall or ceiling, not a sky',
    };
  }
  // A dull blue-grey darker than the brightest quarter of the picture is a wall in a cool cast
  // (building-facade.jpg's stone, saturation 0.14), not a sky: a grey sky is the brightest thing in a
  // photo, and a dusk sky darker than the land is a strong blue (rocket.jpg's, above 0.35).
  let skySat = 0;
  for (const c of grown.indices()) skySat += grid.sat[c];
  if (skySat / count < 0.2 && skyLuma < lumaPercentile(grid, 0.75)) {
    return {
      cells: null,
      reason:
        'the smooth region at the top is a dull grey-blue darker than much of the picture, so it reads as a wall, not a sky',
    };
  }
  // Clouds, birds and wires enclosed by the sky: bright holes of any size, dark ones only when small.
  const filled = fillHoles(grid, grown, (hole) => hole.meanLuma >= skyLuma - 35 || hole.size <= n * 0.002);
  return { cells: filled, share: filled.count() / n };
}
