import { ApiError } from '../../../errors.js';
import { coverWith, renderBackdrop } from '../../../imaging/backdrop.js';
import { addTransform, isWholeImage, parseRatio, ratioCrop, type Rect, type Transform } from '../../../imaging/geometry.js';
import { compositeOverlay, overlayRect } from '../../../imaging/layers.js';
import { growPlane, thresholdPlane, type Plane } from '../../../imaging/masks.js';
import { blendWeighted, boundsOf, minWeights, surfaceAround } from '../../../imaging/worker-ops.js';
import { sharpFromRaw, type RawImage } from '../../../imaging/raw-image.js';
import type { ImagingPool } from '../../../imaging/worker-pool.js';
import type { UpscaleScale } from '../../../resources/super-resolution/upscale-scale.js';
import { applyTone, joinAlpha, materialize, splitAlpha, type Rendered } from '../../../imaging/tone.js';
import type { EngineResult } from '../../engine.js';
import type { Segmenter } from '../../../resources/segmenter/index.js';
import { EditState } from './edit-state.js';
import { findPurpose, type EditStep, type Region } from '../plan/edit-plan.js';
import type { BoundLayers, ResolvedPlan, ResolvedStep } from '../resolve/resolve-plan.js';
import { addText, cropFocusBounds, straighten } from './crop-straighten-text-steps.js';
import { recolour } from './recolour-step.js';
import { erase } from './erase-step.js';
import type { ThingFinder } from '../tools/thing-finder.js';
import type { UpscaleStep } from '../tools/upscale-step.js';
import { editTheSky } from './sky-step.js';

/**
 * Carries out a resolved plan, step by step, on the base picture. When the last step is a plain sharp
 * pipeline (a whole-picture tone edit, a rotation), it is handed back unfinished and the request path
 * pipes it straight into the encoder, so "make it black and white" costs one libvips pass, as a
 * hand-written sharp script would. An upscale runs after every other step (see planUpscale).
 */

export interface ExecuteOptions {
  segmenter: () => Segmenter;
  /** The imaging worker pool that typed-array passes and inpainting run in. */
  pool: ImagingPool;
  signal: AbortSignal;
  seed?: number;
  /** The request's `aspect_ratio`: crop the result to it around the subject (never enlarging). */
  aspectRatio?: string;
  /** Finds named things ("the spoon", "all faces", "crop to a square around the cat"); absent without detectors. */
  finder?: ThingFinder;
  /** Runs the plan's upscale; resolvePlan lets one through only when it is present and available. */
  upscaler?: UpscaleStep;
  /** Collects what the finder used for each named thing ("salient subject (no apple found)"). */
  found?: string[];
}

type Step<Op extends EditStep['op']> = Extract<EditStep, { op: Op }>;

/**
 * @example
 * const result = await executePlan(photo, await resolvePlan(parsePrompt('make it sepia'), request, work), {
 *   segmenter, pool, signal: request.signal });
 */
export async function executePlan(base: RawImage, plan: ResolvedPlan, options: ExecuteOptions): Promise<EngineResult> {
  const state = new EditState(base, options.segmenter, { pool: options.pool, signal: options.signal }, options.finder);
  state.found = options.found ?? [];
  if (plan.layers.mask) await state.setMask(plan.layers.mask.image, plan.layers.mask.convention);
  const aspect = options.aspectRatio && options.aspectRatio !== 'auto' ? parseRatio(options.aspectRatio) : null;
  let final: Rendered | null = null;
  for (let i = 0; i < plan.steps.length; i++) {
    options.signal.throwIfAborted();
    const isLast = i === plan.steps.length - 1 && !aspect;
    const rendered = await runStep(state, plan.steps[i], plan.layers, options, isLast);
    if (rendered && isLast) final = rendered;
    else if (rendered) state.image = await materialize(rendered);
  }
  if (aspect) {
    const bounds = await boundsOf(await state.subjectMatte(), 127, state.work);
    const rect = ratioCrop(state.image.width, state.image.height, aspect, bounds);
    if (!isWholeImage(rect, state.image.width, state.image.height)) final = pipeline(state.image, { kind: 'extract', rect });
  }
  options.signal.throwIfAborted();
  if (plan.upscale) return enlarge(final ? await materialize(final) : state.image, plan.upscale.factor, options);
  return final ?? { kind: 'raw', image: state.image };
}

/** Runs one step; returns a rendering still to be written out, or null when it updated `state` itself. */
async function runStep(
  state: EditState,
  { step, region }: ResolvedStep,
  layers: BoundLayers,
  options: ExecuteOptions,
  isLast: boolean,
): Promise<Rendered | null> {
  if (region === 'found' && 'target' in step && step.target.kind === 'object') {
    // The found thing stands in for the mask during this step (see EditState.withFound).
    const outside = step.op === 'tone' && step.outside === true;
    const rendered = await state.withFound(
      step.target.phrase,
      findPurpose(step),
      () => runStep(state, { step, region: 'mask' }, layers, options, false),
      outside,
    );
    if (step.op === 'inpaint') state.invalidateMatte();
    return rendered;
  }
  switch (step.op) {
    case 'tone':
      return tone(state, step, region!);
    case 'rotate':
      return geometry(state, { kind: 'rotate', degrees: step.degrees }, isLast);
    case 'flip':
      return geometry(state, { kind: 'flip', axis: step.axis }, isLast);
    case 'crop': {
      const bounds = await cropFocusBounds(state, step.focus, options.finder);
      const rect = ratioCrop(state.image.width, state.image.height, step.ratio, bounds);
      return isWholeImage(rect, state.image.width, state.image.height)
        ? null
        : geometry(state, { kind: 'extract', rect }, isLast);
    }
    case 'background':
      await background(state, step, layers);
      return null;
    case 'inpaint':
      await erase(state, region!, step.clause, options.seed);
      return null;
    case 'fill':
      await fill(state, step, region!);
      return null;
    case 'recolour':
      await recolour(state, step, region!);
      return null;
    case 'overlay':
      await overlay(state, step, layers.overlay!, region === 'mask');
      return null;
    case 'straighten': {
      const transform = await straighten(state);
      return transform ? geometry(state, transform, isLast) : null;
    }
    case 'text':
      await addText(state, step);
      return null;
    case 'sky':
      await editTheSky(state, step);
      return null;
    case 'upscale':
      throw new Error('resolvePlan takes upscale steps out of the plan; the enlargement runs after every step');
  }
}

/**
 * The enlargement, last: on the picture every other step (and the aspect_ratio crop) has left, so they all
 * ran at the lower resolution. Its size is checked against the output limit (still too large is a 400),
 * and the scale is the one charged (`factor`, see chargedScale), which that size always allows.
 */
async function enlarge(image: RawImage, factor: UpscaleScale, options: ExecuteOptions): Promise<EngineResult> {
  const upscaler = options.upscaler;
  if (!upscaler) throw new Error('resolvePlan lets an upscale through only with an upscaler');
  const scale = Math.min(factor, upscaler.scaleFor(image.width, image.height, factor)) as UpscaleScale;
  return upscaler.run(image, scale, options.signal);
}

function pipeline(image: RawImage, transform: Transform): Rendered {
  return { kind: 'pipeline', pipeline: addTransform(sharpFromRaw(image), transform) };
}

async function geometry(state: EditState, transform: Transform, isLast: boolean): Promise<Rendered | null> {
  if (isLast) return pipeline(state.image, transform);
  await state.transform(transform);
  return null;
}

async function tone(state: EditState, step: Step<'tone'>, region: Region): Promise<Rendered | null> {
  const { width, height } = state.image;
  let referenceSide = Math.min(width, height);
  if (region === 'mask') {
    const box = await boundsOf(state.mask(), 0, state.work);
    // A found thing is sized by its longer side: a line of text is only as tall as its letters, and a
    // blur sized by that height leaves a licence plate readable.
    const measure = state.onFoundThing ? Math.max : Math.min;
    if (box) referenceSide = measure(box.right - box.left, box.bottom - box.top);
  }
  const edited = await applyTone(state.image, step.tone, { referenceSide, redact: region === 'mask', work: state.work });
  if (region === 'all' && step.strength >= 1) return edited;
  const weight = await state.weight(region, step.strength);
  state.image = await blendWeighted(state.image, await materialize(edited), weight.data, undefined, state.work);
  return null;
}

async function background(state: EditState, step: Step<'background'>, layers: BoundLayers): Promise<void> {
  const { width, height } = state.image;
  if (step.background.kind === 'transparent') {
    const matte = await state.requireSubject();
    if (state.image.channels === 3) {
      state.image = await joinAlpha(state.image, matte.data);
    } else {
      const { rgb, alpha } = await splitAlpha(state.image);
      state.image = await joinAlpha(rgb, await minWeights(alpha, matte.data, state.work));
    }
    return;
  }
  const backdrop =
    step.background.kind === 'layer'
      ? await coverWith(layers.background!, width, height)
      : await renderBackdrop(step.background, width, height);
  const weight = await state.weight('background');
  state.image = await blendWeighted(state.image, backdrop, weight.data, undefined, state.work);
}

async function fill(state: EditState, step: Step<'fill'>, region: Region): Promise<void> {
  const weight = await state.weight(region);
  if (step.fill.kind === 'color') {
    state.image = await blendWeighted(state.image, { color: step.fill.color }, weight.data, undefined, state.work);
    return;
  }
  // "A blank sign": the surface the region sits on, with its lighting (surface-fill.ts), read from a thin
  // ring: a wider one reaches past the sign's border to whatever is behind the sign.
  const hole = await thresholdPlane(await regionPlane(state, region), 127);
  const ring = await growPlane(hole, Math.max(2, Math.round(0.004 * Math.min(state.image.width, state.image.height))));
  const surface = await surfaceAround(state.image, hole.data, ring.data, state.work);
  if (!surface)
    throw new ApiError('INVALID_IMAGE', 'The region to fill covers the whole picture, so it has no surrounding colour.');
  state.image = await blendWeighted(state.image, surface, weight.data, undefined, state.work);
}

async function regionPlane(state: EditState, region: Region): Promise<Plane> {
  if (region === 'mask') return state.mask();
  return state.weight(region);
}

async function overlay(state: EditState, step: Step<'overlay'>, layer: RawImage, clipped: boolean): Promise<void> {
  const { width, height } = state.image;
  const clip = clipped ? state.mask() : undefined;
  const placed = step.anchor !== undefined || step.widthFraction !== undefined;
  let rect: Rect;
  if (clip && !placed) {
    const box = (await boundsOf(clip, 0, state.work))!;
    const within = { left: box.left, top: box.top, width: box.right - box.left, height: box.bottom - box.top };
    rect = overlayRect(state.image, layer, { anchor: 'center', within });
  } else if (!placed && layer.width === width && layer.height === height) {
    rect = { left: 0, top: 0, width, height };
  } else {
    rect = overlayRect(state.image, layer, { anchor: step.anchor ?? 'center', widthFraction: step.widthFraction });
  }
  state.image = await compositeOverlay(state.image, layer, rect, clip, state.work);
}
