import { COLOR_PATTERN, luma } from '../../../imaging/colors.js';
import type { Look, LookName } from '../../../imaging/looks/look-kernel.js';
import { readColor, readTarget } from './grammar.js';
import { entry } from './pattern-entry.js';
import { toneEntry } from './tone-forms.js';
import type { Modifiers, VocabularyEntry } from './entry-types.js';

/**
 * Looks that photo apps have shipped for decades and that need no generative model: drawn (pencil,
 * charcoal), film (70s print, grain, Polaroid, cross-process), tone-mapped (HDR, tilt-shift) and painted
 * (oil painting as a Kuwahara filter, cartoon). They are tone steps, so a region ("the background as a
 * pencil sketch") or a mask limits them. The kernels are src/imaging/looks/.
 * They come before the tone entries: "make it look like an old polaroid" is the Polaroid look, not vintage.
 */

interface LookWords {
  id: string;
  name: LookName;
  instruction: string;
  examples: string[];
  description: string;
  adjectives: string[];
  nouns?: string[];
  verbs?: string[];
  /** A word every wording of the look contains: clauses without it skip the look's patterns (most clauses). */
  hint: RegExp;
  /** Whole-clause wordings that fit none of the usual shapes. */
  extra?: string[];
}

function lookEntry(words: LookWords): VocabularyEntry {
  const full = toneEntry({
    ...words,
    build: (m: Modifiers) => {
      // "slightly" / "strong" set the look's own strength (thinner strokes, less grain), not a mix.
      const look: Look = { name: words.name, amount: m.intensity ?? 1 };
      return { tone: { kind: 'look', look }, uses: ['intensity'] };
    },
  });
  return { ...full, match: (clause, modifiers) => (words.hint.test(clause) ? full.match(clause, modifiers) : null) };
}

const MINIATURE = 'miniature|miniature model|model|toy|toy model|toy town|diorama|scale model';

const DRAWN = '(?: drawing| sketch| art| picture| style)?';

export const LOOK_VOCABULARY: VocabularyEntry[] = [
  lookEntry({
    id: 'look-pencil-sketch',
    name: 'pencil-sketch',
    hint: /sketch|draw|pencil/,
    instruction: 'Pencil sketch',
    examples: ['turn it into a pencil sketch', 'make it look like a drawing', 'pencil sketch effect', 'sketch it'],
    description:
      'A grey pencil drawing: colour dodge of the grey image with its blurred inverse (strokes a few pixels wide at 1 MP; "strong" widens them).',
    adjectives: [
      'pencil sketch',
      'pencil drawing',
      'pencil',
      'sketch',
      'drawing',
      'line drawing',
      'hand drawn',
      'sketched',
      'sketchy',
    ],
    nouns: ['pencil sketch', 'sketch'],
    verbs: ['sketch', 'draw'],
  }),
  lookEntry({
    id: 'look-charcoal',
    name: 'charcoal',
    hint: /charcoal/,
    instruction: 'Charcoal drawing',
    examples: ['make it a charcoal drawing', 'charcoal sketch effect', 'turn the photo into a charcoal drawing'],
    description: 'A charcoal drawing: soft dark strokes along edges over a smudged, lightened tonal mass with paper grain.',
    adjectives: [`charcoal${DRAWN}`],
    nouns: ['charcoal(?: drawing| sketch)?'],
  }),
  lookEntry({
    id: 'look-seventies',
    name: 'seventies',
    hint: /70|seventies/,
    instruction: '1970s photo',
    examples: ['make it look like an old 70s photo', 'seventies look', "give it a '70s film look", 'faded 70s colors'],
    description: 'An old 70s print: faded warm blacks, creamy highlights, saturation down by a third, a slight vignette.',
    adjectives: [
      "(?:an? )?(?:old |faded |retro |vintage )*(?:'|19)?(?:70s|70's|seventies)(?: (?:photo|film|print|picture|snapshot|colors|era))?(?: photo)?",
      "(?:from|in) the (?:'|19)?(?:70s|70's|seventies)",
    ],
  }),
  lookEntry({
    id: 'look-film-grain',
    name: 'film-grain',
    hint: /grain|film noise/,
    instruction: 'Film grain',
    examples: ['add film grain', 'make it grainy', 'add some grain', 'film grain effect', 'add heavy grain'],
    description:
      'Luminance grain of film-like size (one to two pixels at 1 MP), strongest in the mid-tones, the same on every run.',
    adjectives: ['grainy', 'grainier', 'film grainy', 'more grainy'],
    nouns: [
      '(?:lots of |a bit of |fine |heavy |subtle |strong |light |analog |35mm )?(?:film )?grain(?: effect| filter| look)?',
      'film noise',
    ],
  }),
  lookEntry({
    id: 'look-polaroid',
    name: 'polaroid',
    hint: /polaroid|instant/,
    instruction: 'Polaroid',
    examples: ['make it look like a polaroid', 'polaroid effect', 'give it an old polaroid look', 'instant film look'],
    description: 'An instant print: lifted, cyan-green shadows, warm highlights, a little less saturation, a faint vignette.',
    adjectives: ['(?:an? )?(?:old |vintage |faded )?polaroid(?: photo| picture| print)?', 'instant (?:film|camera|photo)'],
  }),
  lookEntry({
    id: 'look-cross-process',
    name: 'cross-process',
    hint: /cross|xpro/,
    instruction: 'Cross-process',
    examples: ['cross process it', 'make it look cross processed', 'cross processing effect', 'xpro filter'],
    description: 'Slide film in negative chemistry: hard red and green curves, flat blue (blue-teal shadows, yellow highlights).',
    adjectives: ['cross processed', 'cross process', 'cross processing', 'xpro'],
    nouns: ['cross processing', 'cross process', 'xpro'],
    verbs: ['cross process'],
  }),
  lookEntry({
    id: 'look-hdr',
    name: 'hdr',
    hint: /hdr|tone ?map|dynamic/,
    instruction: 'HDR look',
    examples: ['give it an hdr look', 'make it hdr', 'hdr effect', 'tone map it'],
    description:
      'Local tone mapping: log luminance split into base and detail with a guided filter, the base compressed and the detail boosted, a little more saturation.',
    adjectives: ['hdr', 'high dynamic range', 'tone mapped'],
    nouns: ['hdr', 'tone mapping', 'high dynamic range'],
    verbs: ['tone ?map'],
  }),
  lookEntry({
    id: 'look-oil-painting',
    name: 'oil-painting',
    hint: /paint|kuwahara/,
    instruction: 'Oil painting',
    examples: ['turn it into an oil painting', 'make it look like a painting', 'oil paint effect', 'painterly look'],
    description:
      'A generalized Kuwahara filter (eight box sectors weighted by their variance): flat patches of paint whose strokes follow the edges.',
    adjectives: ['oil painting', 'oil painted', 'oil paint', 'painting', 'painted', 'painterly', 'an oil painting'],
    nouns: ['oil paint(?:ing)?', 'kuwahara(?: filter)?'],
  }),
  lookEntry({
    id: 'look-cartoon',
    name: 'cartoon',
    hint: /cartoon|comic|toon/,
    instruction: 'Cartoon',
    examples: ['make it look like a cartoon', 'cartoonify it', 'cartoon effect', 'turn the photo into a comic'],
    description: 'Edge-preserving smoothing (a self-guided filter), luminance quantised to a few flat steps, dark ink outlines.',
    adjectives: ['cartoon', 'cartoonish', 'cartoony', 'comic', 'comic book', 'toon'],
    nouns: ['cartoon', 'comic book'],
    verbs: ['cartoonify', 'cartoonize', 'toonify'],
  }),
  lookEntry({
    id: 'look-tilt-shift',
    name: 'tilt-shift',
    hint: /tilt|miniature|toy|diorama/,
    instruction: 'Tilt-shift (miniature)',
    examples: ['tilt shift effect', 'make it look like a miniature', 'miniature effect', 'add a tilt shift blur'],
    description:
      'A band in focus a little below the middle, blur growing smoothly above and below it, and the saturated, contrasty colours of a toy model.',
    adjectives: ['tilt shift', 'miniature', 'a miniature', 'toy model', 'toy town', 'diorama', 'miniature model', 'toy like'],
    nouns: ['tilt shift(?: blur)?', 'miniature(?: faking)?'],
    // "tilt shift effect so it looks like a miniature": the effect and what it is for, said together.
    extra: [
      `(?:(?:add|apply|give it|use) )?(?:an? )?tilt shift(?: blur| lens)?(?: effect| look| filter)?,? (?:so (?:that )?it looks?|to make it look|making it look|to look|for) (?:like )?(?:an? )?(?:${MINIATURE})`,
      `(?:make it look like|turn it into) (?:an? )?(?:${MINIATURE})(?: with| using) (?:an? )?tilt shift(?: blur| lens)?(?: effect)?`,
    ],
  }),
  lookEntry({
    id: 'look-day-for-night',
    name: 'day-for-night',
    hint: /night|moonlit|moonlight/,
    instruction: 'Day for night',
    examples: ['make it look like it was taken at night', 'make it look like night', 'day for night', 'night look'],
    description:
      "The film-maker's day-for-night grade: about two stops darker with the bright sky pressed hardest, colour drained, a cool " +
      'moonlit blue, and the lights (pixels much brighter than their surroundings) kept. A grade, not a new scene: stars, a moon ' +
      'or lit windows that are not in the photo need a generative model.',
    adjectives: ['night', 'night ?time', 'nighttime', 'moonlit', 'at night', 'by night', 'by moonlight'],
    nouns: ['day for night(?: grade| effect| look)?', 'night (?:grade|scene|shot)'],
    extra: [
      `make (?:it|the (?:photo|image|picture|scene)) look (?:like |as if |as though )?(?:it was |it is |it's |it were )?(?:taken|shot|photographed|captured) (?:at|by) (?:night|moonlight)(?: ?time)?`,
    ],
  }),
  onlyWith(
    'duotone',
    entry(
      'look-duotone',
      'tone',
      'Duotone',
      ['duotone', 'make it a duotone in navy and orange', 'duotone effect with purple and yellow', 'blue and pink duotone'],
      'Two colours mapped on luminance (the darker named colour on the shadows); indigo and amber when none are named.',
      [
        `(?:make (?:it|this|the (?:photo|image|picture)) |apply |add |give it |turn it into )?(?:an? )?duotone(?: (?:effect|filter|look|style))?(?: (?:in|with|of|using|from) (?<a>${COLOR_PATTERN}) (?:and|to) (?<b>${COLOR_PATTERN}))?(?: (?:colors|tones))?(?: to (?<target>it|the (?:photo|image|picture)))?`,
        `(?:make it |apply |add |give it )?(?:an? )?(?<a2>${COLOR_PATTERN}) (?:and|to) (?<b2>${COLOR_PATTERN}) duotone(?: (?:effect|filter|look|style))?`,
      ],
      (g) => {
        const named = [readColor(g.a ?? g.a2), readColor(g.b ?? g.b2)];
        if ((g.a ?? g.a2) && (!named[0] || !named[1])) return null;
        const look: Look = { name: 'duotone', amount: 1 };
        if (named[0] && named[1]) {
          look.colors = luma(named[0]) <= luma(named[1]) ? [named[0], named[1]] : [named[1], named[0]];
        }
        const target = readTarget(g.target);
        return target && { op: 'tone', tone: { kind: 'look', look }, target, strength: 1 };
      },
    ),
  ),
];

/** `vocabularyEntry`, skipped for clauses without `word` (its patterns are long; most clauses lack it). */
function onlyWith(word: string, vocabularyEntry: VocabularyEntry): VocabularyEntry {
  return {
    ...vocabularyEntry,
    match: (clause, modifiers) => (clause.includes(word) ? vocabularyEntry.match(clause, modifiers) : null),
  };
}
