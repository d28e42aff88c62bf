/**
 * Blends enlarged tiles into the output one row of tiles at a time. Only the current band of output rows
 * is kept as floats (colour sums and weight sums); rows no later tile can touch are divided out, rounded
 * into the 8-bit result and forgotten. Memory is the 8-bit output plus one band, whatever the image size.
 */
export class BandAccumulator {
  private readonly out: Uint8Array;
  private top = 0;
  private bottom = 0;
  private colour = new Float32Array(0);
  private weight = new Float32Array(0);
  private finished = 0;

  constructor(
    private readonly width: number,
    private readonly height: number,
  ) {
    this.out = new Uint8Array(width * height * 3);
  }

  /** Begins the band of output rows [top, bottom), carrying over the unfinished rows of the previous band. */
  startBand(top: number, bottom: number): void {
    if (top < this.finished) throw new Error(`band starts at row ${top}, rows before ${this.finished} are already final`);
    const rows = bottom - top;
    const colour = new Float32Array(rows * this.width * 3);
    const weight = new Float32Array(rows * this.width);
    const carryEnd = Math.min(this.bottom, bottom);
    if (carryEnd > top) {
      const from = top - this.top;
      colour.set(this.colour.subarray(from * this.width * 3, (carryEnd - this.top) * this.width * 3));
      weight.set(this.weight.subarray(from * this.width, (carryEnd - this.top) * this.width));
    }
    this.top = top;
    this.bottom = bottom;
    this.colour = colour;
    this.weight = weight;
  }

  /**
   * Adds one enlarged tile (planar RGB floats, 0..1) at output position (`y`, `x`), weighted by the
   * product of its row and column ramps.
   */
  add(tile: Float32Array, y: number, x: number, th: number, tw: number, wy: Float32Array, wx: Float32Array): void {
    if (y < this.top || y + th > this.bottom)
      throw new Error(`tile rows ${y}..${y + th} outside the band ${this.top}..${this.bottom}`);
    const plane = th * tw;
    for (let ty = 0; ty < th; ty++) {
      const row = (y - this.top + ty) * this.width + x;
      for (let tx = 0; tx < tw; tx++) {
        const w = wy[ty] * wx[tx];
        const i = ty * tw + tx;
        const o = row + tx;
        this.weight[o] += w;
        this.colour[o * 3] += w * tile[i];
        this.colour[o * 3 + 1] += w * tile[plane + i];
        this.colour[o * 3 + 2] += w * tile[2 * plane + i];
      }
    }
  }

  /** Makes the rows before `row` final: colour divided by weight, clamped to 0..1, rounded to 8 bits. */
  finishRowsBefore(row: number): void {
    const end = Math.min(row, this.bottom);
    for (let y = Math.max(this.finished, this.top); y < end; y++) {
      const band = (y - this.top) * this.width;
      for (let x = 0; x < this.width; x++) {
        const w = this.weight[band + x];
        if (w <= 0) throw new Error(`output pixel ${x},${y} was covered by no tile`);
        for (let c = 0; c < 3; c++) {
          const v = this.colour[(band + x) * 3 + c] / w;
          this.out[(y * this.width + x) * 3 + c] = Math.round(Math.min(1, Math.max(0, v)) * 255);
        }
      }
    }
    this.finished = Math.max(this.finished, end);
  }

  /** The finished image (RGB, 8 bits); every row must be final. */
  result(): Uint8Array {
    if (this.finished !== this.height) throw new Error(`only ${this.finished} of ${this.height} rows are final`);
    return this.out;
  }
}
