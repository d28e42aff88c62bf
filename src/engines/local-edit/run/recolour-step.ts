import { ApiError } from '../../../errors.js';
import type { RecolourOp, RecolourStats } from '../../../imaging/recolour.js';
import { constantPlane } from '../../../imaging/masks.js';
import { recolourPixels } from '../../../imaging/worker-ops.js';
import type { EditStep, Region } from '../plan/edit-plan.js';
import { quoteClause } from '../prompt/prompt-text.js';
import type { EditState } from './edit-state.js';

type RecolourStep = Extract<EditStep, { op: 'recolour' }>;

/**
 * A colour change that keeps the shading (imaging/recolour.ts), mixed in by the region's soft weight (the
 * found thing's matte, feathered inward), then checked: a result a person would call broken is refused
 * with a reason (a 400, nothing charged) rather than answered.
 */
export async function recolour(state: EditState, step: RecolourStep, region: Region): Promise<void> {
  const { width, height } = state.image;
  const weight = region === 'all' ? constantPlane(width, height, 255) : await state.weight(region);
  const { image, stats } = await recolourPixels(state.image, weight.data, step.recolour, state.work);
  const problem = brokenBecause(stats, step.recolour);
  if (problem) throw new ApiError('UNSUPPORTED_INSTRUCTION', `Cannot do "${quoteClause(step.clause)}": ${problem}.`);
  state.image = image;
}

/**
 * Why the result would be broken, or null. Texture: the spread of luma relative to its level (a darker
 * thing has proportionally less spread) must keep at least 40% of what it was, or the thing became a flat
 * patch. Change: a mean OKLab difference under 0.012 is invisible. Hue: the region's mean colour must
 * point at the target's hue, or the gamut ate the change.
 */
export function brokenBecause(stats: RecolourStats, op: RecolourOp): string | null {
  if (stats.pixels === 0) return 'the region it names is too thin to change';
  const relative = (std: number, mean: number) => std / Math.max(mean, 16);
  if (
    stats.lumaStdBefore > 2 &&
    relative(stats.lumaStdAfter, stats.lumaMeanAfter) < 0.4 * relative(stats.lumaStdBefore, stats.lumaMeanBefore)
  ) {
    return 'the result would be a flat patch with the texture and shading of the thing gone';
  }
  // Teeth and red pupils are a few pixels among lips and skin: what counts is that some were found.
  if (op.kind === 'whiten' && stats.selected < 12)
    return 'found no teeth showing in the mouth of the face found (send a mask to mark them)';
  if (op.kind === 'red-eye' && stats.selected < 3) return 'found no red pupils in the eyes of the face found';
  if (op.kind !== 'whiten' && op.kind !== 'red-eye' && stats.meanChange < 0.012)
    return 'it already has that colour, so nothing would change';
  if (op.kind === 'to' && stats.hueAgreement < 0.8) return 'the colour could not be reached while keeping the shading';
  return null;
}
