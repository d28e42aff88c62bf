import { areaSum, summedArea } from '../summed-area.js';

/**
 * What surrounds a hole, for the block fill (quilt.ts): whether it is one stuff, and that stuff's typical
 * colour, which each candidate block is measured against.
 */

/** A ring tile counts as the same stuff as the ring's typical tile within this RGB distance of its mean. */
const SAME_STUFF_DISTANCE = 70;
/**
 * Unlike tiles that touch one another and make up this share of the ring are a different thing beside the
 * hole (a sign's face, a nose, an eye); scattered ones are the stuff's own variety (sky through leaves).
 */
const OTHER_THING_SHARE = 0.05;
/** However scattered, more unlike tiles than this share and the surroundings are not one stuff. */
const UNLIKE_SHARE = 0.25;

/**
 * Blocks suit a hole in one stuff (leaves, gravel, fur). The known ring around the hole, two blocks
 * wide and without the excluded pixels, is cut into block-sized tiles, and those far in colour from the
 * median tile are looked at: grouped together they are another thing, whose blocks would be copied in
 * whole; scattered, they are the stuff's own variety. Returns the reason, or null for one stuff.
 */
export function surveyRing(
  data: Uint8Array,
  c: number,
  unknown: Uint8Array,
  banned: Uint8Array,
  width: number,
  height: number,
  block: number,
): { problem: string | null; typical: number[] } {
  const near = dilateSquare(unknown, width, height, 2 * block);
  const columns = Math.floor(width / block);
  const rows = Math.floor(height / block);
  // Per tile: its mean colour, or null where the ring covers too little of it to say.
  const tiles: Array<number[] | null> = [];
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      const sum = [0, 0, 0];
      let n = 0;
      for (let y = row * block; y < (row + 1) * block; y++) {
        for (let x = column * block; x < (column + 1) * block; x++) {
          const i = y * width + x;
          if (!near[i] || banned[i]) continue;
          for (let ch = 0; ch < 3; ch++) sum[ch] += data[i * c + ch];
          n++;
        }
      }
      tiles.push(n >= (block * block) / 3 ? sum.map((v) => v / n) : null);
    }
  }
  const ring = tiles.filter((t): t is number[] => t !== null);
  if (ring.length < 4) return { problem: 'too little of the picture around the hole to copy blocks from', typical: [0, 0, 0] };
  const median = [0, 1, 2].map((ch) => ring.map((t) => t[ch]).sort((a, b) => a - b)[ring.length >> 1]);
  const unlike = tiles.map(
    (t) => t !== null && Math.hypot(t[0] - median[0], t[1] - median[1], t[2] - median[2]) > SAME_STUFF_DISTANCE,
  );
  const unlikeShare = unlike.filter(Boolean).length / ring.length;
  const group = largestGroup(unlike, columns, rows) / ring.length;
  let problem: string | null = null;
  if (group > OTHER_THING_SHARE)
    problem = `the area around the hole holds another thing (${Math.round(100 * group)}% of it, in one piece, unlike the rest)`;
  else if (unlikeShare > UNLIKE_SHARE)
    problem = `the area around the hole holds different things (${Math.round(100 * unlikeShare)}% of it unlike the rest)`;
  return { problem, typical: median };
}

/** Per known pixel compared, the weight of a candidate block's squared colour distance from the stuff's typical colour. */
const TYPICAL_WEIGHT = 0.1;

/**
 * The cost of copying a block whose mean colour is far from the stuff's typical colour (the ring's median
 * tile): scattered light gaps among leaves are the leaves' own, but a fill that keeps choosing them grows
 * them into a staircase of light blocks down the hole. Means come from summed-area tables, so it is O(1).
 */
export class TypicalColour {
  private readonly sums: Float64Array[];

  constructor(
    data: Uint8Array,
    c: number,
    private readonly width: number,
    height: number,
    private readonly typical: number[],
  ) {
    this.sums = [0, 1, 2].map((ch) => {
      const plane = new Float64Array(width * height);
      for (let i = 0; i < plane.length; i++) plane[i] = data[i * c + ch];
      return summedArea(plane, width, height);
    });
  }

  /** The extra cost of the block at (x, y) for `compared` known pixels. */
  cost(x: number, y: number, block: number, compared: number): number {
    let distance = 0;
    for (let ch = 0; ch < 3; ch++) {
      const mean = areaSum(this.sums[ch], this.width, x, y, block, block) / (block * block);
      distance += (mean - this.typical[ch]) ** 2;
    }
    return TYPICAL_WEIGHT * compared * distance;
  }
}

/** The size of the largest 4-connected group of set cells in a columns x rows grid. */
function largestGroup(cells: boolean[], columns: number, rows: number): number {
  const seen = new Uint8Array(cells.length);
  let largest = 0;
  for (let start = 0; start < cells.length; start++) {
    if (!cells[start] || seen[start]) continue;
    let size = 0;
    const stack = [start];
    seen[start] = 1;
    while (stack.length > 0) {
      const i = stack.pop() as number;
      size++;
      const x = i % columns;
      for (const j of [
        x > 0 ? i - 1 : -1,
        x < columns - 1 ? i + 1 : -1,
        i >= columns ? i - columns : -1,
        i + columns < rows * columns ? i + columns : -1,
      ]) {
        if (j >= 0 && cells[j] && !seen[j]) {
          seen[j] = 1;
          stack.push(j);
        }
      }
    }
    largest = Math.max(largest, size);
  }
  return largest;
}

/** Marks pixels within `radius` (Chebyshev) of a set pixel, with a summed-area table. */
function dilateSquare(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  const sum = summedArea(mask, width, height);
  const out = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    const top = Math.max(0, y - radius);
    const bottom = Math.min(height, y + radius + 1);
    for (let x = 0; x < width; x++) {
      const left = Math.max(0, x - radius);
      const right = Math.min(width, x + radius + 1);
      out[y * width + x] = areaSum(sum, width, left, top, right - left, bottom - top) > 0 ? 1 : 0;
    }
  }
  return out;
}
