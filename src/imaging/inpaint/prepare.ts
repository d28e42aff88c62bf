import { ApiError } from '../../errors.js';
import { toMatchingSpace } from './colour-space.js';
import { distanceToKnown, patchSets } from './masks.js';
import { downsample, type Level } from './pyramid.js';
import type { InpaintSettings } from './settings.js';
import { type PatchShape, sharedFloat32, sharedInt32, sharedUint8, type SharedLevel } from './shared-level.js';

/** The image to fill; in shared memory when it comes from inpaint(), so no phase copies it to a worker. */
export interface InpaintImage {
  width: number;
  height: number;
  channels: 3 | 4;
  data: Uint8Array;
  /** One byte per pixel; the hole is where it is above 127. */
  hole: Uint8Array;
  /**
   * One byte per pixel, set where texture may not be copied from (not a hole): the structure step marks
   * the bands it carried across, so that the texture beside a post is not filled with copies of the post.
   */
  noSource?: Uint8Array;
}

export interface InpaintPlan {
  /** Finest first. */
  levels: SharedLevel[];
  /** Whether alpha is completed as a fourth channel (see planInpaint). */
  withAlpha: boolean;
}

/**
 * Builds the pyramid the solver works on: the image in the matching space with its hole, halved until
 * the hole is about a patch thick (deeper pyramids find larger structures; too deep and there is nothing
 * left to copy from), each level with its patch sets and work schedule.
 *
 * Alpha is only completed when it matters: if every known pixel is opaque the colours are completed
 * alone; otherwise alpha is a fourth channel, so that erasing something over transparency leaves
 * transparency.
 */
export function planInpaint(image: InpaintImage, settings: InpaintSettings): InpaintPlan {
  const { width, height, channels, data } = image;
  const size = width * height;
  const hole = sharedUint8(size);
  for (let i = 0; i < size; i++) hole[i] = image.hole[i] > 127 ? 1 : 0;
  const withAlpha = channels === 4 && !knownIsOpaque(data, hole);
  const c = withAlpha ? 4 : 3;
  const pixels = sharedFloat32(size * c);
  toMatchingSpace(data, channels, pixels, c, settings.chromaWeight);
  // Nothing of what the hole covered may reach the result, whatever happens later: forget it now.
  for (let i = 0; i < size; i++) if (hole[i]) pixels.fill(0, i * c, i * c + c);

  const fine: PatchShape = { radius: settings.patchRadius, step: settings.patchStep };
  const coarse: PatchShape = { radius: settings.coarsePatchRadius, step: settings.coarsePatchStep };
  const noSource = image.noSource ? sharedUint8(size) : undefined;
  if (noSource && image.noSource) for (let i = 0; i < size; i++) noSource[i] = image.noSource[i] && !hole[i] ? 1 : 0;
  const levels: SharedLevel[] = [makeLevel({ width, height, channels: c, pixels, hole, noSource }, fine, settings)];
  if (levels[0].sources.length === 0) {
    const side = 2 * fine.radius + 1;
    throw new ApiError(
      'INVALID_IMAGE',
      `The mask leaves too little of the image to fill from: leave at least one unmasked area of ${side}x${side} pixels.`,
    );
  }
  let holeRadius = maxOf(levels[0].distance);
  while (holeRadius > settings.coarsestHoleRadius) {
    const finer = levels[levels.length - 1];
    if (Math.min(finer.width, finer.height) / 2 < settings.minLevelSide) break;
    const level = makeLevel(downsample(finer), coarse, settings);
    // A coarse level needs a good share of sources, or its matches are forced and its guess is poor.
    if (level.sources.length < settings.minSourcesPerTarget * level.targets.length) break;
    levels.push(level);
    holeRadius /= 2;
  }
  schedule(levels, settings);
  return { levels, withAlpha };
}

function makeLevel(image: Level, shape: PatchShape, settings: InpaintSettings): SharedLevel {
  const { width, height, hole } = image;
  const sets = patchSets(hole, width, height, shape.radius, image.noSource);
  const distance = distanceToKnown(hole, width, height);
  // Locality: a source (2r + hole radius) away costs `localityWeight` per compared patch value.
  const reach = 2 * shape.radius + maxOf(distance);
  const patchValues = (Math.floor((2 * shape.radius) / shape.step) + 1) ** 2 * image.channels;
  return {
    ...image,
    ...sets,
    holePixels: listHole(hole),
    distance,
    source: sharedInt32(width * height).fill(-1),
    cost: sharedFloat32(width * height),
    shape,
    locality: (settings.localityWeight * patchValues) / (reach * reach),
    iterations: 0,
    passes: 0,
  };
}

/**
 * Work falls linearly from the coarsest level to the finest: coarse levels decide the structure and are
 * cheap; fine levels start from good upsampled matches and cost four times the level above.
 */
function schedule(levels: SharedLevel[], settings: InpaintSettings): void {
  const last = levels.length - 1;
  levels.forEach((level, index) => {
    const share = last > 0 ? index / last : 1;
    const mix = (finest: number, coarsest: number) => Math.round(finest + share * (coarsest - finest));
    level.iterations = mix(settings.finestIterations, settings.coarseIterations);
    level.passes = mix(settings.finestPasses, settings.coarsePasses);
  });
}

function knownIsOpaque(data: Uint8Array, hole: Uint8Array): boolean {
  for (let i = 0; i < hole.length; i++) if (!hole[i] && data[i * 4 + 3] !== 255) return false;
  return true;
}

function listHole(hole: Uint8Array): Int32Array {
  let count = 0;
  for (let i = 0; i < hole.length; i++) count += hole[i];
  const out = sharedInt32(count);
  let n = 0;
  for (let i = 0; i < hole.length; i++) if (hole[i]) out[n++] = i;
  return out;
}

function maxOf(values: Float32Array): number {
  let max = 0;
  for (const v of values) if (v > max) max = v;
  return max;
}
