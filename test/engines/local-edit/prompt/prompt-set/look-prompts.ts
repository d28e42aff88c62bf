import { ALL, BG, DEFAULT, GENERATIVE, plan, tone, type PromptCase } from './expect.js';

/**
 * Looks that need no generative model (issue 19, item 5), as people ask for them: each must become the
 * look's tone step, and the styles that do need one (watercolour, anime, a painter's style) stay refused.
 */

const look = (name: string, amount = 1, strength = 1, target = DEFAULT) =>
  tone('look', { look: { name, amount } }, target, strength);

export const LOOK_PROMPTS: PromptCase[] = [
  ['turn it into a pencil sketch', plan(look('pencil-sketch'))],
  ['make it look like a drawing', plan(look('pencil-sketch'))],
  ['make the background a pencil sketch', plan(look('pencil-sketch', 1, 1, BG))],
  ['charcoal drawing please', plan(look('charcoal'))],
  ['make it a charcoal sketch', plan(look('charcoal'))],
  ['make it look like an old 70s photo, faded and warm', plan(look('seventies'))],
  ["give it a '70s look", plan(look('seventies'))],
  ['add film grain', plan(look('film-grain'))],
  ['add some grain', plan(look('film-grain'))],
  ['make it grainy', plan(look('film-grain'))],
  ['make it look like a polaroid', plan(look('polaroid'))],
  ['old polaroid look', plan(look('polaroid'))],
  ['cross process it', plan(look('cross-process'))],
  ['cross-processed look please', plan(look('cross-process'))],
  ['give it an HDR look', plan(look('hdr'))],
  ['make it hdr', plan(look('hdr'))],
  ['turn it into an oil painting', plan(look('oil-painting'))],
  ['make it look like a painting', plan(look('oil-painting'))],
  ['make it look like a cartoon', plan(look('cartoon'))],
  ['cartoonify this photo', plan(look('cartoon', 1, 1, ALL))],
  ['duotone', plan(tone('look', { look: { name: 'duotone', amount: 1 } }))],
  [
    'make it a duotone in navy and orange',
    plan(
      tone('look', {
        look: {
          name: 'duotone',
          amount: 1,
          colors: [
            [0, 0, 128],
            [255, 140, 0],
          ],
        },
      }),
    ),
  ],
  [
    'pink and blue duotone',
    plan(
      tone('look', {
        look: {
          name: 'duotone',
          amount: 1,
          colors: [
            [30, 90, 220],
            [255, 182, 193],
          ],
        },
      }),
    ),
  ],
  ['tilt shift effect', plan(look('tilt-shift'))],
  ['make it look like a miniature model', plan(look('tilt-shift'))],
  ['a subtle tilt-shift', plan(look('tilt-shift', 0.5))],
  ['tilt-shift effect so it looks like a miniature', plan(look('tilt-shift'))],
  ['make it look like a toy model with tilt shift', plan(look('tilt-shift'))],
  // Day for night: a grade, not a new scene (stars and a moon stay refused, see refusal-prompts.ts).
  ['make it look like it was taken at night', plan(look('day-for-night'))],
  ['make it look like night', plan(look('day-for-night'))],
  ['day for night', plan(look('day-for-night'))],
  ['make the photo look like it was shot at night', plan(look('day-for-night'))],
  ['turn it into a watercolor', GENERATIVE],
  ['turn it into a van gogh painting', GENERATIVE],
  ['anime style', GENERATIVE],
];
