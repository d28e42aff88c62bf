import { ApiError } from '../../../errors.js';
import { forcedConvention, inspectLayer } from '../../../imaging/layers.js';
import type { MaskConvention } from '../../../imaging/masks.js';
import type { RawImage } from '../../../imaging/raw-image.js';
import type { ImagingPool } from '../../../imaging/worker-pool.js';
import type { EngineRequest } from '../../engine.js';
import { checkConstraints, type CheckedStep } from '../prompt/constraints.js';
import { findPurpose, type EditPlan, type EditStep, type FindPurpose, type Region, type Target } from '../plan/edit-plan.js';
import { quoteClause } from '../prompt/prompt-text.js';
import { refuse } from '../prompt/refusals.js';
import { checkCropAndUpscale, planUpscale, type PlannedUpscale } from './crop-and-upscale-checks.js';
import type { ThingFinder } from '../tools/thing-finder.js';
import type { UpscaleStep } from '../tools/upscale-step.js';

/**
 * Binds a parsed plan to a request: decides which layer is the mask, the overlay or the new background,
 * gives every step its region, and refuses what cannot be done honestly (a named thing with no mask, a
 * "second image" that was not sent, a layer no instruction uses, a "keep X" the plan would break).
 */

export type LayerRole = 'mask' | 'overlay' | 'background';

export interface BoundLayers {
  mask?: { image: RawImage; convention: MaskConvention };
  overlay?: RawImage;
  background?: RawImage;
}

export interface ResolvedStep {
  step: EditStep;
  /** For tone, fill and inpaint steps: where they apply. Overlays get 'mask' when clipped by the mask. */
  region: Region | null;
}

export interface ResolvedPlan {
  /** Every step but the upscale, in the prompt's order. */
  steps: ResolvedStep[];
  layers: BoundLayers;
  /** The enlargement, run after every step (see planUpscale). */
  upscale?: PlannedUpscale;
}

export const NEEDS_MASK =
  'Send the picture to /image/multi-edit with a mask as the second image: white where to edit on black ' +
  '(or transparent where to edit, as OpenAI masks are).';

/**
 * @example
 * const { steps, layers } = await resolvePlan(parsePrompt('remove the tree'), request, pool); // layers.mask set
 */
export async function resolvePlan(
  plan: EditPlan,
  request: EngineRequest,
  pool: ImagingPool,
  finder?: ThingFinder,
  upscaler?: UpscaleStep,
): Promise<ResolvedPlan> {
  const layers = await bindLayers(plan, request, pool);
  checkCropAndUpscale(plan, layers.mask !== undefined, finder);
  const aspectCrop = request.aspectRatio !== undefined && request.aspectRatio !== 'auto';
  const { steps: toRun, upscale } = planUpscale(plan.steps, request.images[0], aspectCrop, upscaler);
  const canFind = (phrase: string, purpose: FindPurpose) => finder?.canFind(phrase, purpose) ?? false;
  const steps = plan.steps.map((step) => ({ step, region: regionOf(step, layers, canFind) }));
  for (const { step } of steps) {
    if (step.op === 'background' && step.background.kind === 'layer' && !layers.background) {
      throw new ApiError(
        'UNSUPPORTED_INSTRUCTION',
        `"${quoteClause(step.clause)}" needs the new background as a second image: send both to /image/multi-edit.`,
      );
    }
    if (step.op === 'overlay' && !layers.overlay) {
      throw new ApiError(
        'UNSUPPORTED_INSTRUCTION',
        `"${quoteClause(step.clause)}" needs the overlay as a second image: send both to /image/multi-edit.`,
      );
    }
  }
  refuseUnusedLayers(steps, layers);
  checkConstraints(plan.constraints, steps as CheckedStep[], aspectCrop);
  // toRun holds the other steps in the same order (with sizes in pixels adjusted, see planUpscale).
  const kept = steps.filter(({ step }) => step.op !== 'upscale');
  return { steps: kept.map(({ region }, i) => ({ step: toRun[i], region })), layers, upscale };
}

function needsOf(plan: EditPlan): { mask: boolean; overlay: boolean; background: boolean } {
  const named = (t: Target) => t.kind === 'mask' || t.kind === 'object';
  return {
    mask: plan.steps.some((s) => 'target' in s && named(s.target)),
    overlay: plan.steps.some((s) => s.op === 'overlay'),
    background: plan.steps.some((s) => s.op === 'background' && s.background.kind === 'layer'),
  };
}

/**
 * Roles, in this order: the client's `layer_roles`; then a layer that looks like a mask becomes the mask
 * when the prompt names a masked thing, or asks for no picture layer; then the picture layers the prompt
 * asks for (new background first, then overlay), in order; anything left is a mask if it looks like one,
 * else an overlay (and then refused as unused if nothing uses it).
 */
async function bindLayers(plan: EditPlan, request: EngineRequest, pool: ImagingPool): Promise<BoundLayers> {
  const images = request.operation === 'multi-edit' ? request.images.slice(1) : [];
  const explicit = request.options.layerRoles ?? [];
  if (explicit.length > images.length) {
    throw new ApiError(
      'INVALID_PARAMETERS',
      `layer_roles has ${explicit.length} entries but the request has ${images.length} layer(s) after the base image.`,
    );
  }
  if (images.length === 0) return {};
  const base = request.images[0];
  const traits = await Promise.all(images.map((layer) => inspectLayer(layer, base, { pool, signal: request.signal })));
  const roles: Array<LayerRole | undefined> = images.map((_, i) =>
    explicit[i] && explicit[i] !== 'auto' ? explicit[i] : undefined,
  );
  const needs = needsOf(plan);
  const free = () => roles.map((r, i) => (r === undefined ? i : -1)).filter((i) => i >= 0);
  const has = (role: LayerRole) => roles.includes(role);

  if (!has('mask') && (needs.mask || (!needs.overlay && !needs.background))) {
    const candidate = free().find((i) => traits[i].maskConvention !== null);
    if (candidate !== undefined) roles[candidate] = 'mask';
  }
  for (const role of ['background', 'overlay'] as const) {
    if (needs[role] && !has(role)) {
      const next = free()[0];
      if (next !== undefined) roles[next] = role;
    }
  }
  for (const i of free()) roles[i] = traits[i].maskConvention !== null && !has('mask') ? 'mask' : 'overlay';

  const bound: BoundLayers = {};
  roles.forEach((role, i) => {
    if (bound[role!]) {
      throw new ApiError(
        'INVALID_PARAMETERS',
        `Only one ${role} layer is supported, but layers ${roleIndices(roles, role!)} are both ${role}s.`,
      );
    }
    if (role === 'mask') bound.mask = { image: images[i], convention: traits[i].maskConvention ?? forcedConvention(traits[i]) };
    else bound[role!] = images[i];
  });
  return bound;
}

function roleIndices(roles: Array<LayerRole | undefined>, role: LayerRole): string {
  return roles
    .map((r, i) => (r === role ? String(i + 2) : null))
    .filter(Boolean)
    .join(' and ');
}

function regionOf(
  step: EditStep,
  layers: BoundLayers,
  canFind: (phrase: string, purpose: FindPurpose) => boolean,
): Region | null {
  if (step.op === 'overlay') return layers.mask ? 'mask' : null;
  if (!('target' in step)) return null;
  const regionOnly =
    step.op === 'inpaint' ||
    step.op === 'fill' ||
    (step.op === 'recolour' && step.recolour.kind !== 'more') ||
    (step.op === 'tone' && step.regionOnly === true);
  const target = step.target;
  switch (target.kind) {
    case 'background':
      if (step.op === 'inpaint') {
        throw new ApiError(
          'UNSUPPORTED_INSTRUCTION',
          `To make the background transparent, say "remove the background" (in "${quoteClause(step.clause)}").`,
        );
      }
      return 'background';
    case 'subject':
      return 'subject';
    case 'mask':
    case 'object':
      // A thing the detectors know is found in the picture (inside the mask layer when one is sent).
      if (target.kind === 'object' && canFind(target.phrase, findPurpose(step))) return 'found';
      if (layers.mask) return 'mask';
      throw refuse(
        'needs-mask',
        step.clause,
        target.kind === 'object'
          ? `it needs a mask or a thing it can find, and this server cannot find "${target.phrase}" in the picture by itself. ${NEEDS_MASK}`
          : `it refers to a masked area, but the request has no mask layer. ${NEEDS_MASK}`,
      );
    case 'default':
    case 'all':
      if (layers.mask && (target.kind === 'default' || regionOnly)) return 'mask';
      if (regionOnly) {
        throw refuse(
          'needs-mask',
          step.clause,
          `it needs a mask or a thing it can find, to know which part of the picture to change. ${NEEDS_MASK}`,
        );
      }
      return 'all';
  }
}

function refuseUnusedLayers(steps: ResolvedStep[], layers: BoundLayers): void {
  const unused = (what: string, hint: string) =>
    new ApiError('UNSUPPORTED_INSTRUCTION', `The ${what} layer is not used by any instruction in the prompt; ${hint}.`);
  if (layers.mask && !steps.some((s) => s.region === 'mask' || s.region === 'found')) {
    throw unused('mask', 'say what to do inside it (e.g. "remove the masked area"), or leave it out');
  }
  if (layers.overlay && !steps.some((s) => s.step.op === 'overlay')) {
    // Worded for every API (OpenAI's clients have no layer_roles): change the prompt or leave the image out.
    throw unused('overlay', 'say where to put it (e.g. "add the logo in the top right corner"), or send only the image to edit');
  }
  if (layers.background && !steps.some((s) => s.step.op === 'background' && s.step.background.kind === 'layer')) {
    throw unused('background', 'say "replace the background with the second image", or leave it out');
  }
}
