import { areaSum, summedArea } from '../summed-area.js';

/**
 * The hole's edge and, for every pixel, how many known pixels its block-sized window holds, kept up to date
 * as pixels are filled (rescanning the hole at every step cost 1.5 s of a 1-MP sign's 2.2 s). The next spot
 * is the edge pixel whose window is the most known: Criminisi's confidence, without the isophote term (lines
 * were carried by the structure step already). Windows are centred, not clamped at the picture's edge: this
 * only orders the work.
 */
export class FillFront {
  private readonly known: Int32Array;
  private readonly edge = new Set<number>();

  constructor(
    private readonly unknown: Uint8Array,
    private readonly width: number,
    private readonly height: number,
    private readonly block: number,
  ) {
    const knownSum = summedArea(
      unknown.map((v) => 1 - v),
      width,
      height,
    );
    this.known = new Int32Array(unknown.length);
    const half = block >> 1;
    for (let y = 0; y < height; y++) {
      const top = Math.max(0, y - half);
      const bottom = Math.min(height, y - half + block);
      for (let x = 0; x < width; x++) {
        const i = y * width + x;
        if (!unknown[i]) continue;
        const left = Math.max(0, x - half);
        const right = Math.min(width, x - half + block);
        this.known[i] = areaSum(knownSum, width, left, top, right - left, bottom - top);
        if (this.onEdge(i)) this.edge.add(i);
      }
    }
  }

  mostSurrounded(): { x: number; y: number } | null {
    let best = -1;
    let at = -1;
    for (const i of this.edge) {
      if (this.known[i] > best || (this.known[i] === best && i < at)) {
        best = this.known[i];
        at = i;
      }
    }
    return at < 0 ? null : { x: at % this.width, y: Math.floor(at / this.width) };
  }

  /** Pixel i is known now: every window holding it counts one more, and the edge moves past it. */
  fill(i: number): void {
    const { width, height, block, unknown } = this;
    unknown[i] = 0;
    this.edge.delete(i);
    const x = i % width;
    const y = (i - x) / width;
    const half = block >> 1;
    // Window of p is [p - half, p - half + block): it holds x when p is in (x + half - block, x + half].
    for (let py = Math.max(0, y + half - block + 1); py <= Math.min(height - 1, y + half); py++) {
      for (let px = Math.max(0, x + half - block + 1); px <= Math.min(width - 1, x + half); px++) this.known[py * width + px]++;
    }
    for (const n of [x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1, y > 0 ? i - width : -1, y < height - 1 ? i + width : -1]) {
      if (n >= 0 && unknown[n]) this.edge.add(n);
    }
  }

  private onEdge(i: number): boolean {
    const { width, height, unknown } = this;
    const x = i % width;
    const y = (i - x) / width;
    return (
      (x > 0 && !unknown[i - 1]) ||
      (x < width - 1 && !unknown[i + 1]) ||
      (y > 0 && !unknown[i - width]) ||
      (y < height - 1 && !unknown[i + width])
    );
  }
}
