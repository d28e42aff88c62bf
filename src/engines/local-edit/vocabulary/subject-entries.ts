import { ALL, BACKGROUND, SUBJECT } from './grammar.js';
import { BACKDROP, readBackdrop } from './backdrop-words.js';
import { TONE_VOCABULARY } from './tone-entries.js';
import { entry } from './pattern-entry.js';
import type { VocabularyEntry } from './entry-types.js';

/**
 * Subject and background instructions: they use the segmentation model's matte (or, for "the second
 * image", a picture layer). They come first in matching order, so "remove the background" is never read
 * as "remove <a thing>".
 */

const IT = `(?:it|${ALL}|${SUBJECT}|the (?:product|object|main object))`;
/** "the cat", "my dog", "this old car": a plain noun phrase of up to three words, taken as the photo's subject. */
const NAMED_SUBJECT = '(?:the|my|this|that|our|your|his|her) [a-z]+(?: [a-z]+){0,2}';
const greyscale = TONE_VOCABULARY.find((e) => e.id === 'greyscale')!;

export const SUBJECT_VOCABULARY: VocabularyEntry[] = [
  entry(
    'remove-background',
    'subject',
    'Remove the background',
    [
      'remove the background',
      'make the background transparent',
      'cut out the subject',
      'transparent background',
      'isolate the person',
    ],
    'Makes the background transparent with the segmentation model (a PNG with alpha; colours of the subject untouched).',
    [
      `(?:remove|delete|erase|drop|get rid of|take out|take away|strip|clear|knock out|cut away|eliminate|lose) ${BACKGROUND}`,
      `(?:make )?${BACKGROUND} (?:transparent|see through|clear)`,
      `(?:a |an )?(?:transparent|no) (?:background|bg|backdrop)`,
      `(?:cut out|isolate|extract|separate)(?: ${IT})?(?: from ${BACKGROUND})?`,
      'background removal',
      `without (?:a |the )?(?:background|bg)`,
    ],
    () => ({ op: 'background', background: { kind: 'transparent' } }),
  ),
  {
    id: 'color-splash',
    group: 'subject',
    instruction: 'Colour splash (black-and-white background)',
    examples: [
      'make the background black and white',
      'color splash',
      'black and white background with the subject in color',
      'keep only the subject in color',
    ],
    description: 'Greyscale background with the subject left in colour, blended along the segmentation matte.',
    match(clause, modifiers) {
      if (/^(?:an? )?(?:color splash|selective color(?:ing)?|splash of color)(?: effect| look)?$/.test(clause)) {
        return { step: { op: 'tone', tone: { kind: 'greyscale' }, target: { kind: 'background' }, strength: 1 }, uses: [] };
      }
      const result = greyscale.match(clause, modifiers);
      return result?.step.op === 'tone' && result.step.target.kind === 'background' ? result : null;
    },
  },
  entry(
    'replace-background',
    'subject',
    'Replace the background',
    [
      'replace the background with a studio backdrop',
      'replace the background with white',
      'change the background to light blue',
      'put the subject on a gradient from navy to teal',
      'replace the background with the second image',
      'white background',
      'put the cat on a white background',
    ],
    'Keeps the subject (segmentation matte) and replaces everything else with a colour, a soft grey studio backdrop, ' +
      'a vertical gradient ("gradient from X to Y", "horizontal gradient ...") or, in multi-edit, the second image (scaled to cover).',
    [
      `(?:replace|change|swap|switch|set|turn|make|paint|fill|color|convert|substitute) (?:${BACKGROUND}|the backdrop)(?: (?:with|to|into|for|by|as|in))? ${BACKDROP}`,
      `(?:use|add|put|set|apply|insert|place) ${BACKDROP} (?:as|for) (?:the |a |its )?(?:new )?(?:background|bg|backdrop)`,
      `(?:put|place|set|move|composite|show|paste|present)(?: ${IT})? (?:on|onto|against|in front of|over|into) ${BACKDROP}`,
      // "put the cat on a white background": the named subject is the one the segmenter separates.
      `(?:put|place|set|move|composite|show|paste|present) ${NAMED_SUBJECT} (?:on|onto|against|in front of|over|into) ${BACKDROP}`,
      `(?:the |a |an )?(?:new )?${BACKDROP}`,
      `(?:the )?(?:background|bg) (?:of |with |in |to )?${BACKDROP}`,
    ],
    (groups) => {
      const background = readBackdrop(groups);
      return background && { op: 'background', background };
    },
  ),
];
