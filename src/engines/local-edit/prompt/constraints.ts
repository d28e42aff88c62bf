import { ApiError } from '../../../errors.js';
import type { Constraint, EditStep, Region } from '../plan/edit-plan.js';
import { quoteClause } from './prompt-text.js';

/**
 * "While preserving the subject pose, facial features, and clothing": tails that name what must stay as
 * it is. The engine never guesses at them: it checks each named thing against what the plan changes and
 * refuses the request when the plan would change it.
 *
 * Accepted things, by kind (a thing may be of several kinds; all must hold):
 * - the subject (subject, person, pose, face, facial features, expression, clothing, hair, skin, ...):
 *   kept when no step changes the whole picture or the subject;
 * - the background (background, backdrop, scenery, setting): kept when no step changes it;
 * - everything else (the rest, everything else, the surroundings): kept when every step is limited to a region;
 * - the layout (composition, framing, perspective, proportions, architecture, buildings, ...): kept when
 *   there is no rotation, flip or crop;
 * - the colours (colors, lighting, tones, exposure, white balance, mood): kept when no tone or fill step
 *   touches the whole picture or the subject;
 * - anything else named ("the canal"): kept only when every step is limited to the mask, or is an edit of the
 *   sky (which changes the sky alone, and the light of the rest at most: "replace the cloudy sky with a warm
 *   sunrise while preserving the buildings and canal"); the sky itself, named, is changed by a sky edit.
 */

/** Where to split a sentence into instruction and constraint: the first keep-like verb. */
export const KEEP_VERB =
  /(?:^|,\s*|\s)(?:(?:while|whilst|but|and|then|also|yet)\s+)?(?:(?:still|also|please|make sure to|be sure to)\s+)?(?:keep(?:ing)?|preserv(?:e|ing)|maintain(?:ing)?|retain(?:ing)?|leav(?:e|ing)|protect(?:ing)?|without (?:changing|altering|touching|affecting|modifying)|(?:do not|don't|dont) (?:change|alter|touch|affect|modify)|not (?:changing|altering|touching|affecting))\b/;

const STATE_WORDS =
  / (?:intact|unchanged|untouched|the same|same|as is|as it is|as they are|as they were|as it was|alone|unaltered|as before|in place|sharp|in focus|clear|visible|natural|realistic|consistent|original|exactly|identical|in color|colored|preserved|unmodified|the way (?:it is|they are))$/;

const KINDS = {
  subject:
    /\b(?:subject|subjects|person|people|pose|poses|face|faces|facial|features|expression|expressions|clothing|clothes|outfit|outfits|hair|skin|body|eyes|identity|product|foreground|model|man|woman|child|figure|likeness|smile)\b/,
  background: /\b(?:background|backdrop|scenery|setting)\b/,
  rest: /\b(?:rest|everything else|else|surroundings|remaining|outside)\b/,
  layout:
    /\b(?:composition|layout|framing|perspective|proportions|shapes?|structure|geometry|aspect ratio|orientation|positions?|dimensions|resolution|architecture|buildings?)\b/,
  colors: /\b(?:colors?|lighting|light|tones|exposure|white balance|mood|atmosphere|contrast|brightness|saturation)\b/,
} as const;

type Kind = keyof typeof KINDS;

/** Cleans one named thing: "the subject pose intact" -> "the subject pose". */
export function constraintItem(text: string): string {
  let item = text.trim();
  for (let previous = ''; previous !== item; ) {
    previous = item;
    item = item.replace(STATE_WORDS, '').trim();
  }
  return item;
}

/** A step once its region is known (null for steps that are not limited to a region). */
export interface CheckedStep {
  step: EditStep;
  region: Region | null;
}

/** A new sky relights the whole scene below it (warmer for a sunset): colours change everywhere, shapes nowhere. */
function relights(step: EditStep): boolean {
  return step.op === 'sky' && step.look.kind === 'replace';
}

function changes(kind: Kind | 'unknown' | 'sky', { step, region }: CheckedStep): boolean {
  const geometry =
    step.op === 'rotate' || step.op === 'flip' || step.op === 'crop' || step.op === 'straighten' || step.op === 'upscale';
  const everywhere = region === 'all' || (step.op === 'overlay' && region !== 'mask') || step.op === 'text';
  switch (kind) {
    case 'subject':
      return !geometry && (everywhere || region === 'subject');
    case 'background':
      return !geometry && (everywhere || region === 'background' || step.op === 'background');
    case 'rest':
      return geometry || everywhere || relights(step);
    case 'layout':
      return geometry || (step.op === 'inpaint' && region === 'subject');
    case 'colors':
      return (
        ((step.op === 'tone' || step.op === 'fill' || step.op === 'recolour') && (region === 'all' || region === 'subject')) ||
        relights(step)
      );
    case 'unknown':
      return geometry || (region !== 'mask' && region !== 'found' && step.op !== 'sky');
    case 'sky':
      return step.op === 'sky' || changes('unknown', { step, region });
  }
}

const SKY_WORDS = /\b(?:sky|skies|clouds?)\b/;

/**
 * Throws UNSUPPORTED_INSTRUCTION for the first named thing the plan would change.
 *
 * @example checkConstraints([{ clause: 'keep the colors', items: ['the colors'] }], steps, false);
 */
export function checkConstraints(constraints: Constraint[], steps: CheckedStep[], aspectCrop: boolean): void {
  for (const constraint of constraints) {
    for (const item of constraint.items) {
      const kinds = (Object.keys(KINDS) as Kind[]).filter((kind) => KINDS[kind].test(item));
      const other: 'sky' | 'unknown' = SKY_WORDS.test(item) ? 'sky' : 'unknown';
      for (const kind of kinds.length > 0 ? kinds : [other]) {
        const culprit = steps.find((s) => changes(kind, s));
        if (culprit) {
          throw new ApiError(
            'UNSUPPORTED_INSTRUCTION',
            `The prompt asks to keep "${quoteClause(item)}" as it is, but "${quoteClause(culprit.step.clause)}" would change it` +
              (kind === 'unknown' ? ' (outside a mask, the engine cannot tell where that is).' : '.'),
          );
        }
        if (aspectCrop && (kind === 'layout' || kind === 'rest')) {
          throw new ApiError(
            'UNSUPPORTED_INSTRUCTION',
            `The prompt asks to keep "${quoteClause(item)}" as it is, but the requested aspect_ratio crops the picture.`,
          );
        }
      }
    }
  }
}
