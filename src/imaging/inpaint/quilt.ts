import type { InpaintImage } from './prepare.js';
import { createRng } from './rng.js';
import { FillFront } from './quilt-front.js';
import { bestSource, UsedSources } from './quilt-search.js';
import { surveyRing, TypicalColour } from './quilt-surroundings.js';
import { summedArea } from '../summed-area.js';

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
 * quiltFill works in place on the shared window, like the structure step: fills `data`, clears `hole`.
 * The search is in quilt-search.ts, the order of the fill in quilt-front.ts, the look at the surroundings
 * (one stuff or not, its typical colour) in quilt-surroundings.ts.
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
  const bannedSum = summedArea(banned, width, height);
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

function clampTo(v: number, max: number): number {
  return Math.max(0, Math.min(max, v));
}
