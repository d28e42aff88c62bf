import { ApiError } from '../../../errors.js';
import { dominantHue, type RecolourOp, type RecolourStats } from '../../../imaging/recolour.js';
import type { RawImage } from '../../../imaging/raw-image.js';
import type { FoundThing } from '../tools/thing-finder.js';
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
  if (step.recolour.kind === 'to' && state.onFoundThing) {
    const problem = outlineMissesBody(state.image, weight.data, state.foundBoxes);
    if (problem) throw new ApiError('UNSUPPORTED_INSTRUCTION', `Cannot do "${quoteClause(step.clause)}": ${problem}.`);
  }
  const { image, stats } = await recolourPixels(state.image, weight.data, step.recolour, state.work);
  const problem = brokenBecause(stats, step.recolour);
  if (problem) throw new ApiError('UNSUPPORTED_INSTRUCTION', `Cannot do "${quoteClause(step.clause)}": ${problem}.`);
  state.image = image;
}

/**
 * A found thing's outline (the segmenter's matte in its box) can hold the wrong part: a cup's matte holds
 * the coffee and misses its red sides and handle. The thing's body colour is read where the body surely is,
 * the middle of the lower part of its box; when the outline's own colour is another hue, recolouring the
 * outline would paint the contents and leave the thing as it was, so the step says so instead.
 */
function outlineMissesBody(image: RawImage, outline: Uint8Array, boxes: FoundThing['boxes']): string | null {
  const { width, height } = image;
  const inOutline = dominantHue(image.data, image.channels, outline);
  for (const box of boxes) {
    const body = new Uint8Array(width * height);
    const left = Math.max(0, Math.round(box.left + 0.2 * box.width));
    const right = Math.min(width, Math.round(box.left + 0.8 * box.width));
    for (let y = Math.max(0, Math.round(box.top + 0.6 * box.height)); y < Math.min(height, box.top + box.height); y++) {
      body.fill(255, y * width + left, y * width + right);
    }
    const ownColour = dominantHue(image.data, image.channels, body);
    if (!inOutline || !ownColour) continue;
    // Another hue, or a near hue at a very different lightness (orange crema above a dark red-brown cup); the
    // same paint in shadow keeps its hue closely.
    const cos = inOutline.ha * ownColour.ha + inOutline.hb * ownColour.hb;
    if (cos < 0.87 || (cos < 0.97 && Math.abs(inOutline.meanL - ownColour.meanL) > 0.25)) {
      return (
        `the outline found for the ${box.label} holds mostly ${hueWord(inOutline)}, while its body is ${hueWord(ownColour)}, ` +
        'so the change would land on what is in or around it rather than on the thing itself; ' +
        'send a mask over the part to recolour (choose Multi-edit and paint over it)'
      );
    }
  }
  return null;
}

/** A rough colour word for an OKLab hue direction (for refusals a person reads against the photo). */
function hueWord({ ha, hb, meanL }: { ha: number; hb: number; meanL: number }): string {
  const degrees = ((Math.atan2(hb, ha) * 180) / Math.PI + 360) % 360;
  const names: [number, string][] = [
    [15, 'pink'],
    [45, 'red'],
    [75, 'orange'],
    [110, 'yellow'],
    [160, 'green'],
    [215, 'teal'],
    [280, 'blue'],
    [330, 'purple'],
    [360, 'pink'],
  ];
  const name = names.find(([limit]) => degrees < limit)![1];
  const shade = meanL < 0.45 ? 'dark ' : meanL > 0.8 ? 'light ' : '';
  return `${shade}${name}`;
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
