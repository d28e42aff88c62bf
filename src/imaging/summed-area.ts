/**
 * Summed-area tables (Crow 1984): after one pass over a plane, the sum over any rectangle is four reads.
 * The tables have a zero first row and column, (width + 1) x (height + 1), so rectangles at the edge need no
 * special case.
 */

/** The summed-area table of a plane of `width` x `height` values. */
export function summedArea(values: ArrayLike<number>, width: number, height: number): Float64Array {
  const w1 = width + 1;
  const out = new Float64Array(w1 * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += values[y * width + x];
      out[(y + 1) * w1 + x + 1] = out[y * w1 + x + 1] + row;
    }
  }
  return out;
}

/** The sum over the w x h rectangle at (left, top) of the plane whose table (of width `width`) is `table`. */
export function areaSum(table: Float64Array, width: number, left: number, top: number, w: number, h: number): number {
  const w1 = width + 1;
  return table[(top + h) * w1 + left + w] - table[top * w1 + left + w] - table[(top + h) * w1 + left] + table[top * w1 + left];
}
