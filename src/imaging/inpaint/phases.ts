import { fromMatchingSpace } from './colour-space.js';
import { randomField, improveRange, upsampleField } from './nnf.js';
import { onionFill } from './onion-fill.js';
import { planInpaint, type InpaintImage, type InpaintPlan } from './prepare.js';
import { createRng } from './rng.js';
import { DEFAULT_SETTINGS, type InpaintSettings } from './settings.js';
import { propagateStructure, type StructureReport } from './structure.js';
import type { SharedLevel } from './shared-level.js';
import { vote } from './vote.js';

/**
 * The inpainting solver's phases as imaging-worker tasks. Each takes plain data whose big arrays live
 * in shared memory, works on it in place, and returns little or nothing; solver.ts sequences them.
 */

export interface PreparePayload {
  image: InpaintImage;
  settings?: Partial<InpaintSettings>;
}

export function preparePhase({ image, settings }: PreparePayload): InpaintPlan {
  return planInpaint(image, { ...DEFAULT_SETTINGS, ...settings });
}

/** Structure first (structure.ts): fills what runs through the hole, in place in the shared image. */
export function structurePhase({ image }: { image: InpaintImage }): StructureReport {
  return propagateStructure(image);
}

export interface BeginLevelPayload {
  level: SharedLevel;
  /** The coarser level just solved; absent at the coarsest level. */
  coarser?: SharedLevel;
  seed: number;
}

/** Starts a level: at the coarsest, a smooth first guess and random matches; else the coarser matches, upsampled. */
export function beginLevelPhase({ level, coarser, seed }: BeginLevelPayload): void {
  const rng = createRng(seed);
  if (coarser) upsampleField(coarser, level, rng);
  else {
    onionFill(level);
    randomField(level, rng);
  }
}

export interface ImprovePayload {
  level: SharedLevel;
  /** A range of indices into level.targets. */
  from: number;
  to: number;
  seed: number;
}

/** Returns how many matches changed (see improveRange). */
export function improvePhase({ level, from, to, seed }: ImprovePayload): number {
  return improveRange(level, from, to, createRng(seed));
}

export interface VotePayload {
  level: SharedLevel;
  /** A range of indices into level.holePixels. */
  from: number;
  to: number;
  mode: 'weighted' | 'first';
  settings?: Partial<InpaintSettings>;
}

export function votePhase({ level, from, to, mode, settings }: VotePayload): void {
  const { confidenceBase, similarityScale, firstVoteRadius, voteStep } = { ...DEFAULT_SETTINGS, ...settings };
  vote(level, { from, to, mode, confidenceBase, similarityScale, firstVoteRadius, step: voteStep });
}

export interface FinishPayload {
  level: SharedLevel;
  image: InpaintImage;
  withAlpha: boolean;
  settings?: Partial<InpaintSettings>;
}

/**
 * The result: a copy of the image's bytes with the hole filled (an opaque image's hole becomes opaque),
 * in ordinary memory so that it can be moved to the main thread rather than copied there.
 */
export function finishPhase({ level, image, withAlpha, settings }: FinishPayload): Uint8Array {
  const { chromaWeight } = { ...DEFAULT_SETTINGS, ...settings };
  const { channels } = image;
  const data = new Uint8Array(image.data);
  // A clamped view rounds and clamps as the PNG encoder would, instead of wrapping modulo 256.
  const out = new Uint8ClampedArray(data.buffer);
  for (const p of level.holePixels) {
    fromMatchingSpace(level.pixels, p, level.channels, out, p * channels, chromaWeight);
    if (channels === 4 && !withAlpha) out[p * 4 + 3] = 255;
  }
  return data;
}
