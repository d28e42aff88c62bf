/**
 * The analysis grid that stuff (sky, grass, water, sand, snow, foliage) is found on: the photo
 * averaged into cells of a few pixels, each with its mean colour, lightness, hue, saturation and two
 * measures of texture (the spread of lightness inside the cell, and the lightness step to its neighbours).
 * Stuff is defined by exactly these (a sky is bright and smooth, grass green and fine-grained), and at
 * a few hundred cells a side every rule and flood fill costs milliseconds even for a 30-megapixel photo.
 */

/** Longest side of the grid: fine enough for launch towers and branches to break the sky, small enough to be cheap. */
export const GRID_LONG_SIDE = 320;

export interface StuffGrid {
  width: number;
  height: number;
  /** Full-resolution pixels per cell, across and down. */
  cellWidth: number;
  cellHeight: number;
  /** Mean colour of each cell, 0..255, planar. */
  r: Float32Array;
  g: Float32Array;
  b: Float32Array;
  /** Rec. 601 lightness, 0..255. */
  luma: Float32Array;
  /** HSV saturation 0..1 and hue in degrees (0..360; meaningless where saturation is near 0). */
  sat: Float32Array;
  hue: Float32Array;
  /** Standard deviation of lightness inside the cell (fine texture). */
  spread: Float32Array;
  /** Largest lightness step to a 4-neighbour cell (edges at the grid's scale). */
  step: Float32Array;
  /**
   * Mean absolute lightness step between neighbouring pixels inside the cell, across (x) and down (y).
   * Leaves are mottled both ways; the edge of a post or a window frame is a step one way only.
   */
  acrossStep: Float32Array;
  downStep: Float32Array;
}

/**
 * Averages `data` (interleaved, `channels` per pixel) into the grid.
 *
 * @example const grid = stuffGrid(photo.data, photo.width, photo.height, photo.channels);
 */
export function stuffGrid(data: Uint8Array, width: number, height: number, channels: number): StuffGrid {
  const scale = Math.min(1, GRID_LONG_SIDE / Math.max(width, height));
  const gw = Math.max(1, Math.round(width * scale));
  const gh = Math.max(1, Math.round(height * scale));
  const n = gw * gh;
  const sums = new Float64Array(n * 7);
  const counts = new Uint32Array(n);
  const cellOfX = new Int32Array(width);
  for (let x = 0; x < width; x++) cellOfX[x] = Math.min(gw - 1, Math.floor((x * gw) / width));
  // The lightness of the row above, for the step down; the first row's steps are 0.
  let above = new Float32Array(width);
  let current = new Float32Array(width);
  for (let y = 0; y < height; y++) {
    const row = Math.min(gh - 1, Math.floor((y * gh) / height)) * gw;
    let j = y * width * channels;
    for (let x = 0; x < width; x++, j += channels) {
      const c = row + cellOfX[x];
      const r = data[j];
      const g = data[j + 1];
      const b = data[j + 2];
      const l = 0.299 * r + 0.587 * g + 0.114 * b;
      current[x] = l;
      const s = c * 7;
      sums[s] += r;
      sums[s + 1] += g;
      sums[s + 2] += b;
      sums[s + 3] += l;
      sums[s + 4] += l * l;
      if (x > 0) sums[s + 5] += Math.abs(l - current[x - 1]);
      if (y > 0) sums[s + 6] += Math.abs(l - above[x]);
      counts[c]++;
    }
    [above, current] = [current, above];
  }
  const grid: StuffGrid = {
    width: gw,
    height: gh,
    cellWidth: width / gw,
    cellHeight: height / gh,
    r: new Float32Array(n),
    g: new Float32Array(n),
    b: new Float32Array(n),
    luma: new Float32Array(n),
    sat: new Float32Array(n),
    hue: new Float32Array(n),
    spread: new Float32Array(n),
    step: new Float32Array(n),
    acrossStep: new Float32Array(n),
    downStep: new Float32Array(n),
  };
  for (let c = 0; c < n; c++) {
    const k = Math.max(1, counts[c]);
    const s = c * 7;
    const r = sums[s] / k;
    const g = sums[s + 1] / k;
    const b = sums[s + 2] / k;
    const l = sums[s + 3] / k;
    grid.r[c] = r;
    grid.g[c] = g;
    grid.b[c] = b;
    grid.luma[c] = l;
    grid.spread[c] = Math.sqrt(Math.max(0, sums[s + 4] / k - l * l));
    grid.acrossStep[c] = sums[s + 5] / k;
    grid.downStep[c] = sums[s + 6] / k;
    const max = Math.max(r, g, b);
    const min = Math.min(r, g, b);
    grid.sat[c] = max > 0 ? (max - min) / max : 0;
    grid.hue[c] = hueOf(r, g, b, max, min);
  }
  for (let y = 0; y < gh; y++) {
    for (let x = 0; x < gw; x++) {
      const c = y * gw + x;
      const l = grid.luma[c];
      let step = 0;
      if (x > 0) step = Math.max(step, Math.abs(l - grid.luma[c - 1]));
      if (x < gw - 1) step = Math.max(step, Math.abs(l - grid.luma[c + 1]));
      if (y > 0) step = Math.max(step, Math.abs(l - grid.luma[c - gw]));
      if (y < gh - 1) step = Math.max(step, Math.abs(l - grid.luma[c + gw]));
      grid.step[c] = step;
    }
  }
  return grid;
}

function hueOf(r: number, g: number, b: number, max: number, min: number): number {
  const d = max - min;
  if (d < 1e-6) return 0;
  let h: number;
  if (max === r) h = ((g - b) / d) % 6;
  else if (max === g) h = (b - r) / d + 2;
  else h = (r - g) / d + 4;
  h *= 60;
  return h < 0 ? h + 360 : h;
}

/** Euclidean distance between the mean colours of two cells. */
export function colourDistance(grid: StuffGrid, a: number, b: number): number {
  const dr = grid.r[a] - grid.r[b];
  const dg = grid.g[a] - grid.g[b];
  const db = grid.b[a] - grid.b[b];
  return Math.sqrt(dr * dr + dg * dg + db * db);
}
