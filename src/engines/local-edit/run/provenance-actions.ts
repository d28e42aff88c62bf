import type { ProvenanceAction } from '../../../provenance/source-types.js';
import type { Region } from '../plan/edit-plan.js';
import type { ResolvedPlan, ResolvedStep } from '../resolve/resolve-plan.js';

/**
 * What local-edit did, step by step, for the answer's Content Credentials (docs/provenance.md): C2PA's
 * action for each step of the plan, in words that never quote the prompt. Every step keeps or moves the
 * client's own pixels (fills copy texture from the picture itself), so each is `algorithmicallyEnhanced`;
 * only the super-resolution step adds detail a trained network drew.
 *
 * @example planActions(resolved, 'upscaler') // [{ action: 'c2pa.color_adjustments', description: 'Tone: warmer, on the whole picture', ... }]
 */
export function planActions(plan: ResolvedPlan, upscaleModel: string, aspectRatio?: string): ProvenanceAction[] {
  const actions = plan.steps.map(stepAction);
  if (aspectRatio && aspectRatio !== 'auto')
    actions.push(classical('c2pa.cropped', `Cropped to the aspect ratio ${aspectRatio}`));
  if (plan.upscale) {
    actions.push({
      action: 'c2pa.resized',
      description: 'Enlarged by a super-resolution network, which draws fine detail the input did not hold',
      sourceType: 'compositeWithTrainedAlgorithmicMedia',
      model: upscaleModel,
    });
  }
  return actions;
}

function stepAction({ step, region }: ResolvedStep): ProvenanceAction {
  const where = region ? `, on ${REGION_WORDS[region]}` : '';
  switch (step.op) {
    case 'tone':
      return classical('c2pa.color_adjustments', `Tone: ${step.entry}${where}`);
    case 'rotate':
      return classical('c2pa.orientation', `Rotated by ${step.degrees} degrees`);
    case 'flip':
      return classical('c2pa.orientation', `Flipped ${step.axis}ly`);
    case 'straighten':
      return classical('c2pa.orientation', 'Straightened (rotated to level the horizon) and cropped upright');
    case 'crop':
      return classical('c2pa.cropped', 'Cropped');
    case 'background':
      return classical(
        'c2pa.edited',
        `Background replaced (${step.background.kind}); the subject found by the segmentation model`,
      );
    case 'inpaint':
      return classical(
        'c2pa.edited',
        `Removed${where}: the hole filled with texture copied from the rest of the picture (PatchMatch)`,
      );
    case 'fill':
      return classical(
        'c2pa.edited',
        `Filled${where} with ${step.fill.kind === 'color' ? 'a colour' : 'the surrounding colour'}`,
      );
    case 'recolour':
      // Hue and chroma moved in OKLab, lightness kept: a formula, no trained model.
      return classical('c2pa.color_adjustments', `Colour changed${where}, keeping its shading (${step.recolour.kind})`);
    case 'overlay':
      return classical('c2pa.edited', 'The overlay layer composited onto the picture');
    case 'text':
      return classical('c2pa.drawing', 'Text drawn onto the picture');
    case 'sky':
      // A new sky is a graded gradient drawn by a formula, shaded by the old sky's own clouds: no trained model.
      return step.look.kind === 'replace'
        ? classical(
            'c2pa.edited',
            `Sky replaced by a graded ${step.look.preset} sky keeping the clouds' shading; the scene below relit`,
          )
        : classical('c2pa.color_adjustments', 'Sky recoloured (found by colour, texture and place)');
    case 'upscale':
      // Never reached: the upscale runs after the plan (plan.upscale above); kept for exhaustiveness.
      return classical('c2pa.resized', 'Enlarged');
  }
}

const REGION_WORDS: Record<Region, string> = {
  all: 'the whole picture',
  background: 'the background (found by the segmentation model)',
  subject: 'the subject (found by the segmentation model)',
  mask: 'the masked area',
  found: 'the named thing (found by the object detectors)',
};

function classical(action: ProvenanceAction['action'], description: string): ProvenanceAction {
  return { action, description, sourceType: 'algorithmicallyEnhanced' };
}
