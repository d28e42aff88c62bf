import type { ImagingPool } from '../worker-pool.js';
import type { InpaintImage } from './prepare.js';
import { DEFAULT_SETTINGS, type InpaintSettings } from './settings.js';
import { chunks, type SharedLevel } from './shared-level.js';

/**
 * Each PatchMatch and vote phase is split into this many ranges, run in parallel across the imaging
 * pool. A constant, not the pool's size: a range's random choices and propagation depend on its bounds,
 * so the same seed gives the same pixels on every machine.
 */
const RANGES = 4;

/**
 * Multi-scale image completion (Wexler et al. 2007) with PatchMatch (Barnes et al. 2009) as the
 * nearest-neighbour search. The hole is first filled at the coarsest level of a Gaussian pyramid, where
 * it is only a few pixels thick; each finer level starts from the coarser level's matches, upsampled, and
 * alternates PatchMatch passes with votes (an EM loop) until its texture settles.
 *
 * This runs on the main thread but only sequences phases: every pixel loop runs in the imaging workers,
 * on levels in shared memory, with several workers on one phase where the pool has them.
 *
 * @example
 * const filled = await solveInpaint(pool, { width, height, channels: 3, data, hole }, 7, {}, signal);
 */
export async function solveInpaint(
  pool: ImagingPool,
  image: InpaintImage,
  seed: number,
  settings: Partial<InpaintSettings> = {},
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const options = { signal };
  const { levels, withAlpha } = await pool.run('inpaintPrepare', { image, settings }, options);
  for (let l = levels.length - 1; l >= 0; l--) {
    const level = levels[l];
    const coarser = levels[l + 1];
    await pool.run('inpaintBeginLevel', { level, coarser, seed: mixSeed(seed, l, 0, 0) }, options);
    // A finer level's hole has no values yet: a first vote copies in what the upsampled matches
    // propose, so that patch costs mean something.
    if (coarser) await voteAll(pool, level, 'first', settings, signal);
    for (let i = 0; i < level.iterations; i++) {
      const changes = await Promise.all(
        chunks(level.targets.length, RANGES).map(([from, to], k) =>
          pool.run('inpaintImprove', { level, from, to, seed: mixSeed(seed, l, i + 1, k) }, options),
        ),
      );
      await voteAll(pool, level, 'weighted', settings, signal);
      // A field that has settled would only repeat the same vote: stop iterating at this level.
      const changed = changes.reduce((a, b) => a + b, 0) / (level.targets.length * level.passes);
      if (changed < (settings.settledFraction ?? DEFAULT_SETTINGS.settledFraction)) break;
    }
  }
  const { data } = await pool.run('inpaintFinish', { level: levels[0], image, withAlpha, settings }, options);
  return data;
}

async function voteAll(
  pool: ImagingPool,
  level: SharedLevel,
  mode: 'weighted' | 'first',
  settings: Partial<InpaintSettings>,
  signal?: AbortSignal,
): Promise<void> {
  await Promise.all(
    chunks(level.holePixels.length, RANGES).map(([from, to]) =>
      pool.run('inpaintVote', { level, from, to, mode, settings }, { signal }),
    ),
  );
}

/** A seed for one phase range, so that every range draws its own random sequence. */
function mixSeed(seed: number, level: number, iteration: number, range: number): number {
  let h = Math.imul(seed ^ 0x2545f491, 0x9e3779b1);
  for (const v of [level, iteration, range]) h = Math.imul(h ^ (v + 0x7f4a7c15), 0x85ebca77) ^ (h >>> 13);
  return h >>> 0;
}
