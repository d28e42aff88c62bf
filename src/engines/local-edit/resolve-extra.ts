import type { BoundLayers } from './resolve-plan.js';
import type { EditPlan } from './plan.js';
import { refuse } from './refusals.js';
import type { ThingFinder } from './thing-finder.js';

/**
 * Refusals for the newer steps, before any pixel work: an upscale (the super-resolution endpoint does
 * that), and a crop around a named thing that neither a mask nor a detector can locate.
 */
export function checkExtraSteps(plan: EditPlan, layers: BoundLayers, finder: ThingFinder | undefined): void {
  for (const step of plan.steps) {
    if (step.op === 'upscale') {
      throw refuse(
        'unsupported',
        step.clause,
        `local-edit does not enlarge pictures; send it to POST /api/v1/image/upscale (scale ${step.factor}), the super-resolution endpoint`,
      );
    }
    if (step.op === 'crop' && typeof step.focus === 'object' && !layers.mask && !finder?.canFind(step.focus.phrase)) {
      throw refuse(
        'needs-mask',
        step.clause,
        `it needs a mask or a thing it can find, and this server cannot find "${step.focus.phrase}" in the picture by itself. ` +
          'Send a mask over it as the second image to /image/multi-edit, or crop "around the subject".',
      );
    }
  }
}
