import { parseColor, type Rgb } from '../../../imaging/colors.js';
import type { Target } from '../plan/edit-plan.js';

/**
 * Regular-expression fragments the vocabulary is written with, and the readers for what they capture.
 * Clauses reach the vocabulary normalised (see prompt/prompt-text.ts): lower case, single spaces, no punctuation
 * but `%`, `:` and `#`, American spelling, and "black and white" written as one token `black-and-white`.
 */

/** The whole picture: "it", "the photo", "the entire image". */
export const ALL = `(?:it|this|that|everything|(?:the |this |that |my |our |your )?(?:whole |entire |full )?(?:photo|image|picture|pic|shot|frame|photograph|scene|thing)(?: overall)?|(?:the |its |all the |all of the )?(?:overall )?(?:colors|color|tones|colors and tones|lighting|white balance)(?: (?:of|in) (?:the |this |my )?(?:photo|image|picture|shot))?)`;
export const BACKGROUND = `(?:the |its |their |his |her )?(?:background|bg)`;
export const SUBJECT = `(?:the |this )?(?:main )?(?:subject|foreground|person|people|portrait subject)`;
export const MASKED = `(?:(?:the |this )?(?:masked|marked|selected|highlighted|painted|white|transparent|chosen) (?:area|region|part|zone|pixels|spot|section|portion|bit|bits)|(?:the )?mask(?:ed)?(?: area| region| part)?|the selection|(?:the )?(?:area|region|part) (?:under|inside|in|within|covered by|marked by|of) the mask|where the mask is|(?:whatever|what|everything|anything)(?: is| that is| that's)? (?:under|inside|in|within|covered by|marked by) the mask)`;
/** Words that never occur in the name of a thing; a free-form capture containing one has swallowed too much. */
const STOP =
  '(?:except|but|not|without|besides|other|than|apart|outside|instead|and|then|with|into|to|by|as|like|more|less|very|much|' +
  'slightly|percent|degrees|black-and-white|effect|filter|look|style|version|it|some|a|an|the|this|that|for|across|onto|up|down|please)';
const DETERMINER = '(?:the|a|an|this|that|these|those|his|her|their|its|my|our|your|all the|all|any|some|every)';
const LINK_WORDS = '(?:of|from|on|in|at|near|behind|under|over|above|below|beside|along|next to|in front of)';
// Link words are never words of their own: each phrase then has one parse, and matching stays linear.
const WORD = String.raw`(?!${STOP}\b|${LINK_WORDS}\b)[a-z][a-z0-9']*`;
const LINK = `${LINK_WORDS}(?: ${DETERMINER})?`;
/** Anything else named: "the tree", "the torn corner of the photo". Only a mask can locate it. */
export const OBJECT = `(?:${DETERMINER} )?${WORD}(?: (?:${LINK} )?${WORD}){0,7}`;

/**
 * A trailing named region ("... in the masked area", "... only on the background"). Tone entries try a
 * clause whole first, then without such a suffix; one shared expression instead of a copy in every form
 * keeps the vocabulary quick to compile.
 */
const WHERE_SUFFIX = new RegExp(
  `^(?<text>.+?) (?:only |just )?(?:in|on|inside|within|to|for|across|over|of) (?<where>${ALL}|${BACKGROUND}|${SUBJECT}|${MASKED})$`,
);

export function splitWhere(clause: string): { text: string; where: string } | null {
  const found = WHERE_SUFFIX.exec(clause);
  return found ? { text: found.groups!.text, where: found.groups!.where } : null;
}

const whole = (source: string) => new RegExp(`^${source}$`);
const IS_ALL = whole(ALL);
const IS_BACKGROUND = whole(BACKGROUND);
const IS_SUBJECT = whole(SUBJECT);
const IS_MASKED = whole(MASKED);
const IS_OBJECT = whole(OBJECT);

/**
 * Reads a captured target; null when the capture is not a plausible name of a thing (the clause then
 * counts as not understood rather than being bent into a meaning).
 *
 * @example readTarget('the background') // { kind: 'background' }
 * @example readTarget('the tree')       // { kind: 'object', phrase: 'the tree' }
 */
const BEHIND_SUBJECT =
  /^(?:(?:the |its |their |his |her )?(?:background|backdrop|bg|scenery|surroundings)|everything(?: else)?|all) (?:behind|around|surrounding|near) (?:the |this |that |my |our |her |his |him|her|them|it)\b/;

export function readTarget(text: string | undefined): Target | null {
  // A bare pronoun names nothing in particular: with a mask layer, "make it sepia" means the masked area.
  if (text === undefined || text === '' || text === 'it' || text === 'this' || text === 'that') return { kind: 'default' };
  if (IS_ALL.test(text)) return { kind: 'all' };
  if (IS_BACKGROUND.test(text)) return { kind: 'background' };
  // "the background behind the cat", "everything around her": the background, as the segmenter separates it
  // from the subject (never the cat itself, which the finder would otherwise find in the phrase).
  if (BEHIND_SUBJECT.test(text)) return { kind: 'background' };
  if (IS_SUBJECT.test(text)) return { kind: 'subject' };
  if (IS_MASKED.test(text)) return { kind: 'mask' };
  // "the spoon from the picture" is the spoon; "the text in the bottom right corner" keeps its place.
  const phrase = text.replace(/ (?:from|in|out of|off|of) (?:the |this |my )?(?:photo|picture|image|shot|frame)$/, '');
  if (!IS_OBJECT.test(phrase) || /\d/.test(phrase)) return null;
  return { kind: 'object', phrase };
}

export function readColor(text: string | undefined): Rgb | null {
  return text === undefined ? null : parseColor(text.replace(/\s+/g, ' '));
}

/** Compiles the alternatives of a vocabulary form into one anchored expression. */
export function anchored(...sources: string[]): RegExp {
  return new RegExp(`^(?:${sources.join('|')})$`);
}

export function alternatives(words: readonly string[]): string {
  return `(?:${words.join('|')})`;
}
