import { frameCutProblem } from '../../../imaging/frame-cut.js';
import { BlocksUnsuitable, inpaint } from '../../../imaging/inpaint/index.js';
import { featherRadius, growPlane, thresholdPlane, type Plane } from '../../../imaging/masks.js';
import type { RawImage } from '../../../imaging/raw-image.js';
import { blendWeighted, measureFill } from '../../../imaging/worker-ops.js';
import type { PixelWork } from '../../../imaging/worker-pool.js';
import { refuse } from '../prompt/refusals.js';
import type { Region } from '../plan/edit-plan.js';
import type { EditState } from './edit-state.js';
import { fillTextOnPlates } from './plate-text-step.js';

/**
 * Remove / erase / restore: inpainting of the region, then the fill's self-check (text found on a plain
 * plate is filled with the plate's surface first: plate-text-step.ts). PatchMatch completion comes
 * first; where its votes averaged stochastic texture (leaves, gravel) into a smear, the hole is filled
 * again with whole blocks of real pixels (inpaint/quilt.ts) and checked again. A fill that still
 * came out as a smear (darker or lighter than everything around it, or smooth where its surroundings are
 * textured) is refused with the reason, so nobody is charged for a broken picture.
 */
export async function erase(state: EditState, region: Region, clause: string, seed = 0): Promise<void> {
  if (region === 'mask') {
    // Found text on a plain plate is filled with the plate's own surface; the rest of it is inpainted.
    const mask = state.onFoundThing ? await fillTextOnPlates(state, state.mask(), clause) : state.mask();
    if (!mask) return;
    refuseFrameCut(mask, clause);
    const filled = await fillChecked(state.image, mask.data, await thresholdPlane(mask, 127), clause, state.work, seed);
    // Grey mask pixels (partial strength) mix the fill with the original; where the mask is 0 nothing changes.
    state.image = await blendWeighted(state.image, filled, mask.data, undefined, state.work);
    return;
  }
  // The subject: its matte, made binary and grown a little so no halo of it is left at the edge.
  const { width, height } = state.image;
  const hole = await growPlane(await thresholdPlane(await state.requireSubject(), 32), 2 * featherRadius(width, height));
  refuseFrameCut(hole, clause);
  state.image = await fillChecked(state.image, hole.data, hole, clause, state.work, seed);
  state.invalidateMatte();
}

/**
 * Fills `holeBytes` (above 127) with PatchMatch and, where its fill is refused (a smear of leaves beside a
 * post), again with whole blocks of real pixels; throws the refusal when neither passes the self-check.
 * PatchMatch always comes first. Blocks were tried first around textured rings for a while (faster, and
 * sharper on leaves), but on a hole over a cat's eye they pasted pieces of the eye about, and real texture
 * passes the fill check: only PatchMatch's refusal lets blocks in
 * (bench/inpaint/NOTES.md#the-leaves-beside-the-post-no-source-bands-and-whole-blocks-this-session).
 */
async function fillChecked(
  image: RawImage,
  holeBytes: Uint8Array,
  hole: Plane,
  clause: string,
  work: PixelWork,
  seed: number,
): Promise<RawImage> {
  let refusal: unknown;
  for (const method of ['patchmatch', 'blocks'] as const) {
    const structure = new Uint8Array(holeBytes.length);
    let filled: RawImage;
    try {
      filled = await inpaint(image, holeBytes, { ...work, seed, method, structureMask: structure });
    } catch (error) {
      // Blocks would break what lies around this hole (quilt.ts says why): PatchMatch's refusal stands.
      if (error instanceof BlocksUnsuitable) break;
      throw error;
    }
    try {
      await refuseSmear(filled, hole, clause, work, structure);
      return filled;
    } catch (error) {
      refusal = error;
    }
  }
  throw refusal;
}

/** The ring the fill is judged against: about 2% of the shorter side beyond the hole, at least 4 pixels. */
function ringAround(hole: Plane, image: RawImage): Promise<Plane> {
  return growPlane(hole, Math.max(4, Math.round(0.02 * Math.min(image.width, image.height))));
}

/**
 * Compares the filled hole with a ring of untouched pixels around it (fill-check.ts); throws a 400 when it
 * failed. Pixels in `structure` (copied along a line running through the hole, such as a post behind a
 * sign) are real pixels of the picture and may be smooth where the ring is not: only the rest is judged.
 */
export async function refuseSmear(
  filled: RawImage,
  hole: Plane,
  clause: string,
  work: PixelWork,
  structure?: Uint8Array,
): Promise<void> {
  const grown = await ringAround(hole, filled);
  const judged = structure ? hole.data.map((v, i) => (structure[i] ? 0 : v)) : hole.data;
  const ring = structure ? grown.data.map((v, i) => (structure[i] ? 0 : v)) : grown.data;
  const check = await measureFill(filled, judged, ring, work);
  if (check.problem) {
    throw refuse(
      'unsupported',
      clause,
      `${check.problem}, so it was not returned. Mask a little more generously around the thing, mask less at a time, or use a generative model (such as qwen-edit)`,
    );
  }
}

/**
 * Refuses, before any work, a removal of something large that the picture's frame cuts off (frame-cut.ts):
 * its fill would be invented from one side only, and comes out as a smear or a copy of a neighbour.
 */
function refuseFrameCut(hole: Plane, clause: string): void {
  const problem = frameCutProblem(hole.data, hole.width, hole.height);
  if (problem) {
    throw refuse('unsupported', clause, `${problem}. Mask less at a time, or use a generative model (such as qwen-edit)`);
  }
}
