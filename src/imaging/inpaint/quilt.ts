import type { InpaintImage } from './prepare.js';
import { createRng } from './rng.js';

/**
 * Exemplar fill by whole blocks, for holes in stochastic texture (foliage, gravel, grass) where the
 * PatchMatch completion's votes average many disagreeing matches into a smooth smear. As in Criminisi et
 * al. 2004, the hole is filled from its edge inwards, the most surrounded spot first; as in Efros and
 * Freeman's image quilting (2001), each step copies a whole block of real pixels whose known part
 * matches what is already there, so the copied texture keeps its grain. Nothing is averaged: every
 * filled pixel is a pixel of the picture.
 *
 * Sources are blocks of original pixels near the spot (texture changes across a photo, and near blocks
 * match the light), never touching the hole or `noSource` (a post the structure step carried across).
 * Among the near-best matches one is drawn at random, so a block is not copied again and again.
 *
 * Works in place on the shared window, like the structure step: fills `data`, clears `hole`. Returns the
 * number of pixels filled (all of the hole unless no source block exists).
 */
/**
 * Thrown by inpaint() with method 'blocks' where whole blocks would break the picture: a straight edge
 * crosses the hole that the structure step did not carry across (blocks would break it into a staircase),
 * or the hole's surroundings hold different things (blocks of a sign's letters or an eye would be copied
 * in whole). Being real texture, such a fill would pass the fill check; so the method refuses up front.
 */
export class BlocksUnsuitable extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'BlocksUnsuitable';
  }
}

/** What quiltFill did: pixels filled, or why the surroundings do not suit the method (nothing filled). */
export type QuiltResult = { filled: number; unsuitable?: undefined } | { filled: 0; unsuitable: string };

export interface QuiltOptions {
  seed: number;
  /** The side of the copied blocks; from the window's size when absent. */
  block?: number;
}

/** Candidates within this share of the best match's cost are drawn from at random. */
const NEAR_BEST = 1.15;
/** Each earlier copy from a source's cell raises its cost by this share. */
const REUSE_COST = 0.5;
/** The coarse search visits every third position; refining one either way then reaches every position. */
const COARSE_STEP = 3;
/** How many of the best coarse candidates are refined to the pixel. */
const REFINED = 6;

export function quiltFill(image: InpaintImage, options: QuiltOptions): QuiltResult {
  const { width, height, channels: c, data } = image;
  const size = width * height;
  const unknown = new Uint8Array(size);
  const banned = new Uint8Array(size);
  let remaining = 0;
  for (let i = 0; i < size; i++) {
    unknown[i] = image.hole[i] > 127 ? 1 : 0;
    banned[i] = unknown[i] || image.noSource?.[i] ? 1 : 0;
    remaining += unknown[i];
  }
  if (remaining === 0) return { filled: 0 };
  const block = options.block ?? blockSide(width, height);
  if (block >= width || block >= height) return { filled: 0 };
  const survey = surveyRing(data, c, unknown, banned, width, height, block);
  if (survey.problem) return { filled: 0, unsuitable: survey.problem };
  const typical = new TypicalColour(data, c, width, height, survey.typical);
  const bannedSum = integral(banned, width, height);
  const rng = createRng(options.seed);
  const start = remaining;
  const front = new FillFront(unknown, width, height, block);
  const used = new UsedSources(width, height, block);
  while (remaining > 0) {
    const spot = front.mostSurrounded();
    if (!spot) break;
    const tx = clampTo(spot.x - (block >> 1), width - block);
    const ty = clampTo(spot.y - (block >> 1), height - block);
    const source = bestSource(data, c, unknown, bannedSum, width, height, tx, ty, block, rng, used, image.noSource, typical);
    if (!source) break;
    used.add(source.x, source.y);
    const shift = toneShift(data, c, unknown, image.noSource, width, tx, ty, source.x, source.y, block);
    for (let y = 0; y < block; y++) {
      for (let x = 0; x < block; x++) {
        const t = (ty + y) * width + tx + x;
        if (!unknown[t]) continue;
        const s = (source.y + y) * width + source.x + x;
        for (let ch = 0; ch < c; ch++) data[t * c + ch] = clampByte(data[s * c + ch] + (ch < 3 ? shift[ch] : 0));
        front.fill(t);
        image.hole[t] = 0;
        remaining--;
      }
    }
  }
  return { filled: start - remaining };
}

/** A ring tile counts as the same stuff as the ring's typical tile within this RGB distance of its mean. */
const SAME_STUFF_DISTANCE = 70;
/**
 * Unlike tiles that touch one another and make up this share of the ring are a different thing beside the
 * hole (a sign's face, a nose, an eye); scattered ones are the stuff's own variety (sky through leaves).
 */
const OTHER_THING_SHARE = 0.06;
/** However scattered, more unlike tiles than this share and the surroundings are not one stuff. */
const UNLIKE_SHARE = 0.25;

/**
 * Blocks suit a hole in one stuff (leaves, gravel, fur). The known ring around the hole, two blocks
 * wide and without the excluded pixels, is cut into block-sized tiles, and those far in colour from the
 * median tile are looked at: grouped together they are another thing, whose blocks would be copied in
 * whole; scattered, they are the stuff's own variety. Returns the reason, or null for one stuff.
 */
function surveyRing(
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
class TypicalColour {
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
      return integral(plane, width, height);
    });
  }

  /** The extra cost of the block at (x, y) for `compared` known pixels. */
  cost(x: number, y: number, block: number, compared: number): number {
    let distance = 0;
    for (let ch = 0; ch < 3; ch++) {
      const mean = boxSum(this.sums[ch], this.width, x, y, block, block) / (block * block);
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
  const sum = integral(mask, width, height);
  const out = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    const top = Math.max(0, y - radius);
    const bottom = Math.min(height, y + radius + 1);
    for (let x = 0; x < width; x++) {
      const left = Math.max(0, x - radius);
      const right = Math.min(width, x + radius + 1);
      out[y * width + x] = boxSum(sum, width, left, top, right - left, bottom - top) > 0 ? 1 : 0;
    }
  }
  return out;
}

/** Each block's tone is moved at most this far (per channel) towards what surrounds it. */
const MAX_TONE_SHIFT = 12;

/**
 * The mean difference, per colour channel, between the target block's known pixels and the source's pixels
 * at the same places: a block of the right texture from a little more or less light is brought to the light
 * where it goes, so that the fill does not show as a patchwork of tones.
 */
function toneShift(
  data: Uint8Array,
  c: number,
  unknown: Uint8Array,
  ignored: Uint8Array | undefined,
  width: number,
  tx: number,
  ty: number,
  sx: number,
  sy: number,
  block: number,
): number[] {
  const sum = [0, 0, 0];
  let n = 0;
  for (let y = 0; y < block; y++) {
    for (let x = 0; x < block; x++) {
      const t = (ty + y) * width + tx + x;
      if (unknown[t] || ignored?.[t]) continue;
      const s = (sy + y) * width + sx + x;
      for (let ch = 0; ch < 3; ch++) sum[ch] += data[t * c + ch] - data[s * c + ch];
      n++;
    }
  }
  return sum.map((v) => (n === 0 ? 0 : Math.max(-MAX_TONE_SHIFT, Math.min(MAX_TONE_SHIFT, v / n))));
}

function clampByte(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}

/** About 2% of the picture's shorter side: leaves and stones fit whole, and there are few steps. */
export function blockSide(width: number, height: number): number {
  return Math.max(10, Math.min(24, Math.round(0.02 * Math.min(width, height))));
}

/**
 * The hole's edge and, for every pixel, how many known pixels its block-sized window holds, kept up to date
 * as pixels are filled (rescanning the hole at every step cost 1.5 s of a 1-MP sign's 2.2 s). The next spot
 * is the edge pixel whose window is the most known: Criminisi's confidence, without the isophote term (lines
 * were carried by the structure step already). Windows are centred, not clamped at the picture's edge: this
 * only orders the work.
 */
class FillFront {
  private readonly known: Int32Array;
  private readonly edge = new Set<number>();

  constructor(
    private readonly unknown: Uint8Array,
    private readonly width: number,
    private readonly height: number,
    private readonly block: number,
  ) {
    const knownSum = integral(
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
        this.known[i] = boxSum(knownSum, width, left, top, right - left, bottom - top);
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

/**
 * The source block for the target block at (tx, ty): first every third position within a search radius
 * compared on every other known pixel, then the best few refined to the pixel on all known pixels, then
 * one of the near-best drawn at random. The radius doubles until some source block is clean.
 */
function bestSource(
  data: Uint8Array,
  c: number,
  unknown: Uint8Array,
  bannedSum: Float64Array,
  width: number,
  height: number,
  tx: number,
  ty: number,
  block: number,
  rng: ReturnType<typeof createRng>,
  used: UsedSources,
  ignored: Uint8Array | undefined,
  typical: TypicalColour,
): { x: number; y: number } | null {
  const all = knownOffsets(unknown, ignored, width, tx, ty, block, 1);
  const sparse = knownOffsets(unknown, ignored, width, tx, ty, block, 2);
  const clean = (x: number, y: number) => boxSum(bannedSum, width, x, y, block, block) === 0;
  for (let radius = 4 * block; radius < 2 * Math.max(width, height); radius *= 2) {
    const coarse: Array<{ x: number; y: number; cost: number }> = [];
    const x0 = Math.max(0, tx - radius);
    const x1 = Math.min(width - block, tx + radius);
    const y0 = Math.max(0, ty - radius);
    const y1 = Math.min(height - block, ty + radius);
    for (let y = y0; y <= y1; y += COARSE_STEP) {
      for (let x = x0; x <= x1; x += COARSE_STEP) {
        if (!clean(x, y)) continue;
        const limit = coarse.length < REFINED ? Infinity : coarse[coarse.length - 1].cost;
        const penalty = used.penalty(x, y);
        const atypical = typical.cost(x, y, block, sparse.length);
        const cost = penalty * (atypical + blockCost(data, c, width, sparse, tx, ty, x, y, limit / penalty - atypical));
        if (cost < limit) insertSorted(coarse, { x, y, cost }, REFINED);
      }
    }
    if (coarse.length === 0) continue;
    const refined: Array<{ x: number; y: number; cost: number }> = [];
    for (const candidate of coarse) {
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const x = candidate.x + dx;
          const y = candidate.y + dy;
          if (x < 0 || y < 0 || x > width - block || y > height - block || !clean(x, y)) continue;
          const atypical = typical.cost(x, y, block, all.length);
          refined.push({ x, y, cost: used.penalty(x, y) * (atypical + blockCost(data, c, width, all, tx, ty, x, y, Infinity)) });
        }
      }
    }
    refined.sort((a, b) => a.cost - b.cost);
    const near = refined.filter((r) => r.cost <= refined[0].cost * NEAR_BEST + 1e-9);
    // Distinct positions only: a candidate and its refined neighbour are the same choice.
    return near[rng.int(near.length)];
  }
  return null;
}

/**
 * Where blocks were copied from, on a grid of half-block cells: a source copied again (or one overlapping
 * it) costs more each time, so the fill does not tile one patch of leaves into a visible pattern.
 */
class UsedSources {
  private readonly counts: Uint16Array;
  private readonly columns: number;
  private readonly cell: number;

  constructor(width: number, height: number, block: number) {
    this.cell = Math.max(4, block >> 1);
    this.columns = Math.ceil(width / this.cell);
    this.counts = new Uint16Array(this.columns * Math.ceil(height / this.cell));
  }

  add(x: number, y: number): void {
    this.counts[this.index(x, y)]++;
  }

  /** A cost factor: 1 for a fresh source, growing by REUSE_COST with each earlier copy from its cell. */
  penalty(x: number, y: number): number {
    return 1 + REUSE_COST * this.counts[this.index(x, y)];
  }

  private index(x: number, y: number): number {
    return Math.floor(y / this.cell) * this.columns + Math.floor(x / this.cell);
  }
}

/**
 * Offsets (in pixels from the block's top-left, as y * width + x) of the block's known pixels that say what
 * the texture is: not the `ignored` ones (a post carried across is not what the leaves beside it look like).
 */
function knownOffsets(
  unknown: Uint8Array,
  ignored: Uint8Array | undefined,
  width: number,
  tx: number,
  ty: number,
  block: number,
  step: number,
): Int32Array {
  const out: number[] = [];
  for (let y = 0; y < block; y += step) {
    for (let x = 0; x < block; x += step) {
      const i = (ty + y) * width + tx + x;
      if (!unknown[i] && !ignored?.[i]) out.push(y * width + x);
    }
  }
  return Int32Array.from(out);
}

/** Sum of squared differences over the given known offsets, stopping once it passes `limit`. */
function blockCost(
  data: Uint8Array,
  c: number,
  width: number,
  offsets: Int32Array,
  tx: number,
  ty: number,
  sx: number,
  sy: number,
  limit: number,
): number {
  const t0 = ty * width + tx;
  const s0 = sy * width + sx;
  let cost = 0;
  for (let k = 0; k < offsets.length; k++) {
    const t = (t0 + offsets[k]) * c;
    const s = (s0 + offsets[k]) * c;
    for (let ch = 0; ch < 3; ch++) {
      const d = data[t + ch] - data[s + ch];
      cost += d * d;
    }
    if (cost >= limit) return cost;
  }
  return cost;
}

function insertSorted(
  list: Array<{ x: number; y: number; cost: number }>,
  item: { x: number; y: number; cost: number },
  keep: number,
): void {
  let i = list.length;
  while (i > 0 && list[i - 1].cost > item.cost) i--;
  list.splice(i, 0, item);
  if (list.length > keep) list.pop();
}

/** A summed-area table with a zero first row and column: (width + 1) x (height + 1). */
function integral(values: Uint8Array | Float64Array, width: number, height: number): Float64Array {
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

function boxSum(table: Float64Array, width: number, left: number, top: number, w: number, h: number): number {
  const w1 = width + 1;
  return table[(top + h) * w1 + left + w] - table[top * w1 + left + w] - table[(top + h) * w1 + left] + table[top * w1 + left];
}

function clampTo(v: number, max: number): number {
  return Math.max(0, Math.min(max, v));
}
