import { ApiError } from '../../../errors.js';
import type { PlaneBounds } from '../../../imaging/pixel-stats.js';
import { boundsOf } from '../../../imaging/worker-ops.js';
import { straightenTransform } from '../../../imaging/straighten.js';
import { drawText } from '../../../imaging/text-overlay.js';
import type { Transform } from '../../../imaging/geometry.js';
import type { EditState } from './edit-state.js';
import type { CropFocus, EditStep } from '../plan/edit-plan.js';
import type { ThingFinder } from '../tools/thing-finder.js';

/**
 * Three of the executor's steps, kept apart from executor.ts to keep it short: where a crop centres,
 * straightening, text. Upscaling is not a step here: it runs after all of them
 * (resolve/crop-and-upscale-checks.ts, tools/upscale-step.ts).
 */

type Step<Op extends EditStep['op']> = Extract<EditStep, { op: Op }>;

/**
 * The box a crop keeps in view: none (centred), the segmented subject, or a named thing ("around the
 * cat"): the mask layer's box when the request has one, else what the ThingFinder finds.
 */
export async function cropFocusBounds(
  state: EditState,
  focus: CropFocus,
  finder: ThingFinder | undefined,
): Promise<PlaneBounds | null> {
  if (focus === 'center') return null;
  if (focus === 'subject') return boundsOf(await state.subjectMatte(), 127, state.work);
  if (state.hasMask()) return boundsOf(state.mask(), 127, state.work);
  if (!finder) throw new Error('resolvePlan lets a crop around a thing through only with a mask or a finder');
  const found = await finder.find(state.image, focus.phrase, { signal: state.signal });
  if (found.found && !state.found.includes(found.found)) state.found.push(found.found);
  return boundsOf(found.mask, 127, state.work);
}

/** The rotate-and-crop that levels the picture, or null when it is level already (see imaging/straighten.ts). */
export function straighten(state: EditState): Promise<Transform | null> {
  return straightenTransform(state.image, state.work);
}

const WHITE = [255, 255, 255] as const;

export async function addText(state: EditState, step: Step<'text'>): Promise<void> {
  if (step.text.trim() === '') throw new ApiError('INVALID_PARAMETERS', `"${step.clause}" has no text to draw.`);
  state.image = await drawText(state.image, {
    text: step.text,
    anchor: step.anchor,
    widthFraction: step.widthFraction ?? 1 / 3,
    color: step.color ?? WHITE,
  });
}
