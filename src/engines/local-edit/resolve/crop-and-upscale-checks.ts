import type { RawImage } from '../../../imaging/raw-image.js';
import type { UpscaleScale } from '../../../resources/super-resolution/upscale-scale.js';
import type { EditPlan, EditStep } from '../plan/edit-plan.js';
import { refuse } from '../prompt/refusals.js';
import type { ThingFinder } from '../tools/thing-finder.js';
import type { UpscaleStep } from '../tools/upscale-step.js';

/**
 * Checks for crops and upscales, before any pixel work: a crop around a named thing that neither a mask nor
 * a detector can locate, and upscales (planUpscale).
 */
export function checkCropAndUpscale(plan: EditPlan, hasMask: boolean, finder: ThingFinder | undefined): void {
  for (const step of plan.steps) {
    if (step.op === 'crop' && typeof step.focus === 'object' && !hasMask && !finder?.canFind(step.focus.phrase)) {
      throw refuse(
        'needs-mask',
        step.clause,
        `it needs a mask or a thing it can find, and this server cannot find "${step.focus.phrase}" in the picture by itself. ` +
          'Send a mask over it as the second image to /image/multi-edit, or crop "around the subject".',
      );
    }
  }
}

/** The enlargement a plan asks for, run after every other step. */
export interface PlannedUpscale {
  /** The scale charged for and never exceeded: the product of the upscales, on the picture as sent (chargedScale). */
  factor: UpscaleScale;
  /** The upscale clause(s), for errors. */
  clause: string;
}

const UPSCALE_ELSEWHERE = 'POST /api/v1/image/upscale is the super-resolution endpoint';

/**
 * Takes the upscale steps out of the plan: the enlargement runs once, last, after tone, geometry and
 * removals, since every other step costs a quarter (2x) or a sixteenth (4x) as much at the lower
 * resolution and works the same there (sizes are fractions of the picture). Two upscales multiply ("2x,
 * then 2x again" is 4x); the product must be one of the networks' scales, 2 or 4. A blur or pixelation
 * given in pixels after an upscale is divided by its factor, so it is the size asked for in the output.
 *
 * Refused before any work: an upscale on a server that cannot run the networks (with a pointer to
 * /image/upscale, never a plain resize), a product other than 2 or 4, and a picture too large even at 2x
 * when no step can make it smaller (the same output limit as /image/upscale; a crop may bring a large
 * picture under it, so then the check waits for the size the crop leaves).
 *
 * @example planUpscale(parsePrompt('brighten it and upscale by 4x'), photo, false, upscaler)
 *   // { steps: [brighten], upscale: { factor: 4, clause: 'upscale by 4x' } }
 */
export function planUpscale(
  steps: EditStep[],
  base: RawImage,
  aspectCrop: boolean,
  upscaler: UpscaleStep | undefined,
): { steps: EditStep[]; upscale?: PlannedUpscale } {
  const upscales = steps.filter((s) => s.op === 'upscale');
  if (upscales.length === 0) return { steps };
  const clause = upscales.map((s) => s.clause).join(', ');
  const why = upscaler ? upscaler.unavailable() : 'this server has no super-resolution networks';
  if (why !== null) {
    throw refuse(
      'unsupported',
      clause,
      `local-edit enlarges only with super-resolution, which cannot run here (${why}); ${UPSCALE_ELSEWHERE}`,
    );
  }
  const product = upscaleProduct(steps);
  const factor = networkScale(product);
  if (factor === null) {
    throw refuse(
      'unsupported',
      clause,
      `together these upscales enlarge ${product}x; the super-resolution networks enlarge 2x or 4x (one upscale of 2x or 4x, or 2x twice)`,
    );
  }
  const canShrink = aspectCrop || steps.some((s) => s.op === 'crop' || s.op === 'straighten');
  if (!canShrink) upscaler!.scaleFor(base.width, base.height, factor);
  const charged = chargedScale(upscaler!, base, factor);
  const rest: EditStep[] = [];
  let enlargedBy = 1;
  for (const step of steps) {
    if (step.op === 'upscale') enlargedBy *= step.factor;
    else rest.push(enlargedBy > 1 ? inInputPixels(step, enlargedBy) : step);
  }
  return { steps: rest, upscale: { factor: charged, clause } };
}

/**
 * The scale an upscale is charged for, decided before any work from the picture as sent: the 4x-to-2x
 * rule of /image/upscale on its size, or 2x when it is too large even for that (only a crop can then
 * bring it under the limit, and the enlargement is refused if none does). The enlargement never goes past
 * it: steps before it only keep or shrink the picture, so on their result the rule allows at least as much.
 */
export function chargedScale(
  upscaler: Pick<UpscaleStep, 'scaleFor'>,
  base: { width: number; height: number },
  factor: UpscaleScale,
): UpscaleScale {
  try {
    return upscaler.scaleFor(base.width, base.height, factor);
  } catch {
    return 2;
  }
}

/** The product of a plan's upscale factors when it is a scale the networks have (2 or 4), else null. */
export function upscaleFactor(steps: EditStep[]): UpscaleScale | null {
  return networkScale(upscaleProduct(steps));
}

/** How much the plan's upscales enlarge together (1 when there are none). */
function upscaleProduct(steps: EditStep[]): number {
  return steps.reduce((product, s) => (s.op === 'upscale' ? product * s.factor : product), 1);
}

function networkScale(product: number): UpscaleScale | null {
  return product === 2 || product === 4 ? product : null;
}

/** A step that came after the upscale but runs before it: sizes given in pixels are the output's. */
function inInputPixels(step: EditStep, factor: number): EditStep {
  if (step.op !== 'tone' || !('pixels' in step.tone) || step.tone.pixels === undefined) return step;
  return { ...step, tone: { ...step.tone, pixels: step.tone.pixels / factor } };
}
