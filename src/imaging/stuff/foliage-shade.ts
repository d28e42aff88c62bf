import { boxMean } from '../guided-filter.js';
import { CellMask, components } from './grid-regions.js';
import type { StuffGrid } from './stuff-grid.js';

/**
 * The deep shade of a canopy, taken in from the foliage already found around it. Under a tree the camera's
 * white balance, set for the sunlit street, turns the shaded leaves dark purple-grey rather than green
 * (street.jpg: rgb 43,26,53 in the top of the canopy), so no colour rule finds them; what they keep is
 * leaf-scale texture at a dark level. A cell counts as shade when it is dark, mottled for its lightness both
 * across and down (the edge of a post or a window is a step one way only), of a hue leaves take in shade
 * (see leafColoured) and when most cells around it count too. Stretches of such shade are then taken in
 * only when they lie within a small gap of mottled foliage already found, so dark things elsewhere (a
 * tyre, the shadow under a car, a red cabbage next to a lime) stay out.
 */

/** Radius, in cells, over which fine texture and lightness are averaged (about 20 pixels at 1 MP). */
const TEXTURE_RADIUS = 3;
/** Darker than this mean lightness (0..255): shade, not a sunlit surface. */
const MAX_LUMA = 110;
/** Fine texture (the smaller of the mean steps across and down) per unit of lightness that leaves show even in shade. */
const MIN_MOTTLE = 0.05;
/** The share of a cell's neighbourhood that must look like shaded leaves. */
const DENSITY = 0.55;
/** Saturation under which a cell is grey, not shaded leaves. */
const MIN_TINT = 0.1;
/** Cells of gap between the foliage and a stretch of shade that is still the same canopy. */
const GAP = 20;
/** A stretch of shade this large (share of the grid) is a canopy of its own, linked across a wider gap. */
const WIDE_PART = 0.02;
const WIDE_GAP = 30;
/** Smaller stretches of shade than this share of the grid are left out (a tyre, a dark window). */
const MIN_PART = 0.002;

/**
 * `foliage` with the shaded canopy linked to it added.
 *
 * @example const canopy = growIntoShade(grid, foliageCells, null);
 */
export function growIntoShade(grid: StuffGrid, foliage: CellMask, sky: CellMask | null): CellMask {
  const { width: w, height: h } = grid;
  const { shade, mottled } = shadedLeaves(grid, sky);
  const dense = boxMean(shade, w, h, TEXTURE_RADIUS);
  const inShade = (c: number) => dense[c] >= DENSITY && shade[c] === 1;
  // Stretches of shade within a small gap of the foliage, then of the shade taken in, until none is added:
  // a branch or a patch of sky between two parts of one canopy breaks the 4-connection, not the tree.
  const parts = components(grid, inShade).filter((part) => part.size >= MIN_PART * w * h);
  // Reached from leaves that are mottled themselves: a smooth lime or a kiwi's flesh lends no shade.
  const reachFrom = new CellMask(w, h);
  for (const c of foliage.indices()) if (mottled[c]) reachFrom.data[c] = 1;
  const out = new CellMask(w, h, foliage.data.slice());
  for (let added = true; added; ) {
    added = false;
    const near = boxMean(Float32Array.from(reachFrom.data), w, h, GAP);
    const far = boxMean(Float32Array.from(reachFrom.data), w, h, WIDE_GAP);
    for (const part of parts.splice(0)) {
      const reach = part.size >= WIDE_PART * w * h ? far : near;
      if (part.cells.some((c) => reach[c] > 0)) {
        for (const c of part.cells) reachFrom.data[c] = 1;
        for (const c of part.cells) out.data[c] = 1;
        added = true;
      } else parts.push(part);
    }
  }
  return out;
}

/**
 * `shade`: 1 where a cell looks like leaves in shade, alone (before the neighbourhood and the link to
 * foliage); `mottled`: 1 where its neighbourhood is mottled enough for leaves, whatever its colour.
 */
export function shadedLeaves(grid: StuffGrid, sky: CellMask | null): { shade: Float32Array; mottled: Uint8Array } {
  const { width: w, height: h } = grid;
  const both = new Float32Array(w * h);
  for (let c = 0; c < both.length; c++) both[c] = Math.min(grid.acrossStep[c], grid.downStep[c]);
  const mottle = boxMean(both, w, h, TEXTURE_RADIUS);
  const light = boxMean(grid.luma, w, h, TEXTURE_RADIUS);
  const shade = new Float32Array(w * h);
  const mottled = new Uint8Array(w * h);
  for (let c = 0; c < shade.length; c++) {
    mottled[c] = mottle[c] / (light[c] + 20) >= MIN_MOTTLE ? 1 : 0;
    shade[c] = mottled[c] && !sky?.has(c) && light[c] < MAX_LUMA && leafColoured(grid, c) ? 1 : 0;
  }
  return { shade, mottled };
}

/**
 * Green through blue-grey to purple, as shaded leaves come out under a daylight white balance; not warm
 * (brick, wood, skin, a red cabbage's magenta), not a saturated blue (paint, a sign), not neutral grey
 * (asphalt, cobbles, a post), which carries no hint of the leaves' colour at all.
 */
function leafColoured(grid: StuffGrid, c: number): boolean {
  const hue = grid.hue[c];
  const sat = grid.sat[c];
  const blue = hue > 180 && hue < 255;
  return sat >= MIN_TINT && hue >= 60 && hue <= 340 && !(blue && sat > 0.3);
}
