import { applyCoefficients, colourGuide, guidedCoefficients } from '../guided-filter.js';
import type { CellMask } from './grid-regions.js';
import type { StuffGrid } from './stuff-grid.js';

/**
 * From a mask of grid cells to a soft mask at the photo's resolution that follows the photo's own edges:
 * the fast guided filter (He and Sun) with the grid's colours as guide, applied at full resolution with the
 * photo as guide. A roof line, a branch or a launch tower thinner than a cell comes out of the sky because,
 * in its window, the mask is a linear function of the colour and the tower's colour is not the sky's.
 * Pixels more than two cells from the cell mask stay 0, so nothing far from the found region is touched.
 */

/** Window radius in cells and regulariser: small enough to keep edges, large enough to bridge a cell. */
const RADIUS = 2;
const EPS = 2e-3;

/**
 * @example const mask = refineCellMask(grid, sky.cells, photo.data, photo.width, photo.height, 3);
 */
export function refineCellMask(
  grid: StuffGrid,
  cells: CellMask,
  data: Uint8Array,
  width: number,
  height: number,
  channels: number,
): Uint8Array {
  const { width: gw, height: gh } = grid;
  const n = gw * gh;
  const guidePixels = new Uint8Array(n * 3);
  const p = new Float32Array(n);
  // The cells along an edge hold both sides (their spread kept them out of the region); counting them in
  // lets the filter split them by colour, instead of leaving a rim of the region outside the mask.
  const grown = dilate(cells, 1);
  for (let c = 0; c < n; c++) {
    guidePixels[c * 3] = grid.r[c];
    guidePixels[c * 3 + 1] = grid.g[c];
    guidePixels[c * 3 + 2] = grid.b[c];
    p[c] = grown[c];
  }
  const k = guidedCoefficients(colourGuide(guidePixels, gw, gh, 3), p, RADIUS, EPS);
  const soft = applyCoefficients(k, { data, width, height, channels });
  // Far from the cells (dilated by two): 0, so a guided filter's ripple never reaches other things.
  const near = dilate(cells, 2);
  for (let y = 0; y < height; y++) {
    const gy = Math.min(gh - 1, Math.floor((y * gh) / height));
    for (let x = 0; x < width; x++) {
      const gx = Math.min(gw - 1, Math.floor((x * gw) / width));
      if (!near[gy * gw + gx]) soft[y * width + x] = 0;
    }
  }
  return soft;
}

/** A square dilation of the cell mask by `r` cells (separable max). */
function dilate(cells: CellMask, r: number): Uint8Array {
  const { width: w, height: h, data } = cells;
  const tmp = new Uint8Array(w * h);
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let v = 0;
      for (let d = Math.max(0, x - r); d <= Math.min(w - 1, x + r) && !v; d++) v = data[y * w + d];
      tmp[y * w + x] = v;
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let v = 0;
      for (let d = Math.max(0, y - r); d <= Math.min(h - 1, y + r) && !v; d++) v = tmp[d * w + x];
      out[y * w + x] = v;
    }
  }
  return out;
}
