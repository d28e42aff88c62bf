import { MASKED, SUBJECT, readTarget, splitWhere } from './grammar.js';
import { toneEntry } from './tone-forms.js';
import type { Target } from '../plan/edit-plan.js';
import type { Modifiers, VocabularyEntry } from './entry-types.js';

/**
 * Tonal ranges, exposure, vibrance and skin: instructions that come before the plain tone entries in
 * matching order, because their wordings contain those entries' verbs ("brighten the shadows" is not
 * "brighten <a thing called the shadows>"; "make the colours pop" is vibrance, not saturation).
 */

const SHADOWS =
  '(?:the )?(?:shadows?|shadow areas|shadow detail|shadow details|dark areas|darker areas|dark parts|darker parts|dark tones|blacks|lows|lowlights)';
const HIGHLIGHTS =
  '(?:the )?(?:highlights?|highlight areas|highlight detail|bright areas|brighter areas|bright parts|brighter parts|light areas|whites|blown (?:out )?highlights|blown out areas)';
const UP =
  '(?:brighten|lighten|lift|raise|open up|open|boost|bring up|bring out|increase|recover|pull up|push up|lighten up|brighten up|show more detail in|reveal detail in|reveal)';
const DOWN =
  '(?:darken|deepen|lower|reduce|crush|bring down|pull down|pull back|tone down|tame|recover|decrease|drop|dim|compress|soften|fix)';

/** Lift or lower amount: 1 by default, 0.5 "slightly", 2 "much"; a percentage of 100 is 2. */
function rangeAmount(m: Modifiers): number {
  return m.percent !== undefined ? m.percent / 50 : (m.intensity ?? 1);
}

function rangeEntry(
  id: string,
  instruction: string,
  range: 'shadows' | 'highlights',
  direction: 1 | -1,
  examples: string[],
  words: string[],
): VocabularyEntry {
  return toneEntry({
    id,
    instruction,
    examples,
    description:
      `${direction > 0 ? 'Lifts' : 'Lowers'} the ${range} with a smooth luminance curve (${range === 'shadows' ? 'whites' : 'blacks'} stay where they are); ` +
      'hue is kept. "slightly" / "much" halve or double it.',
    extra: words,
    build: (m) => ({ tone: { kind: 'tonal-range', range, amount: direction * rangeAmount(m) }, uses: ['percent', 'intensity'] }),
  });
}

const SKIN_WORDS = [
  `(?:smooth|smooth out|soften|even out|retouch|clean up|perfect|airbrush|beautify|even)(?: the| her| his| their| my)? (?:skin|skin tones?|complexion|faces?|face skin)(?: (?:on|of|in) (?:the |her |his |their )?(?:faces?|portrait|photo|picture|image|people|person|model))?(?<where> (?:in|on|of) (?:${MASKED}|${SUBJECT}))?`,
  '(?:airbrush|beautify)(?: (?:it|her|him|them|the portrait|the faces?))?',
  '(?:add |apply |do )?(?:some |a )?(?:skin smoothing|skin softening|beauty filter|beauty mode|skin retouching|soft skin)(?: effect| filter)?',
  'make (?:the |her |his |their |my )?(?:skin|complexion|faces?) (?:look )?(?:smoother|softer|flawless|perfect|smooth|soft|even)',
];
const SKIN = new RegExp(`^(?:${SKIN_WORDS.join('|')})$`);
const FACES: Target = { kind: 'object', phrase: 'the faces' };

/** Skin smoothing: on the faces the finder sees, or on the masked area / subject when named. */
const SMOOTH_SKIN: VocabularyEntry = {
  id: 'smooth-skin',
  group: 'tone',
  instruction: 'Smooth skin (faces)',
  examples: ['smooth the skin', 'airbrush her face', 'soften the skin slightly', 'skin smoothing', 'make her skin smoother'],
  description:
    'Edge-preserving smoothing (a self-guided filter) of the faces the face detector finds, or of the masked area; ' +
    'eyes, lips and outlines stay sharp. Needs a mask or the face detector.',
  match(clause, modifiers) {
    const found = SKIN.exec(clause);
    if (!found) return null;
    const where = found.groups?.where ? readTarget(found.groups.where.replace(/^ (?:in|on|of) /, '')) : null;
    return {
      step: {
        op: 'tone',
        tone: { kind: 'smooth-skin', amount: modifiers.intensity ?? 1 },
        target: where ?? FACES,
        strength: 1,
        regionOnly: true,
      },
      uses: ['intensity'],
    };
  },
};

const EXPOSURE = '(?:the )?(?:exposure|ev|exposure value)';

const EXPOSURE_FORMS = toneEntry({
  id: 'exposure',
  instruction: 'Exposure (stops)',
  examples: [
    'increase the exposure by one stop',
    'exposure +0.5 ev',
    'lower the exposure by half a stop',
    'raise the exposure',
    'brighten by 1 stop',
  ],
  description:
    'Multiplies linear light by 2^stops, as a camera does (default +/- half a stop; "by N stops" / "N ev" sets it); hue is kept where it clips.',
  extra: [
    `(?<up>(?:increase|raise|boost|bump up|push|turn up|up|add|open up)) ${EXPOSURE}`,
    `(?<up>(?:turn|bump|crank|push)) ${EXPOSURE} up`,
    `(?<down>(?:decrease|lower|reduce|cut|pull back|drop|turn down|bring down)) ${EXPOSURE}`,
    `(?:turn|bring|pull) ${EXPOSURE} (?<down>down)`,
    `(?:set |adjust |change )?${EXPOSURE}(?: (?:to|by|at|of|adjustment|compensation|correction))?`,
    `${EXPOSURE} (?:up|down)(?: by)?`,
    '(?<up>(?:over ?expose|expose up|brighten|lighten|open up))(?: it| the photo| the image)?',
    '(?<down>(?:under ?expose|expose down|darken|stop down))(?: it| the photo| the image)?',
  ],
  build: (m) => ({ tone: { kind: 'exposure', stops: m.stops ?? 0.5 * (m.intensity ?? 1) }, uses: ['stops', 'intensity'] }),
});

const EXPOSURE_ENTRY: VocabularyEntry = {
  ...EXPOSURE_FORMS,
  match(clause, modifiers) {
    // The direction is in the words ("lower", "under") or the sign of the stops; a bare verb with no stops
    // ("brighten") belongs to the brighter entry.
    const up =
      /^(?:(?:the )?(?:exposure|ev) up|increase|raise|boost|bump|push|turn up|up|add|open|over|expose up|brighten|lighten|crank|turn (?:the )?(?:exposure|ev) up)/.test(
        clause,
      );
    const down =
      /^(?:(?:the )?(?:exposure|ev) down|decrease|lower|reduce|cut|pull|drop|turn down|bring|under|expose down|darken|stop down|turn (?:the )?(?:exposure|ev) down)/.test(
        clause,
      );
    const bareVerb = /^(?:over ?expose|expose up|brighten|lighten|open up|under ?expose|expose down|darken|stop down)/.test(
      clause,
    );
    if (bareVerb && modifiers.stops === undefined) return null;
    if (!up && !down && modifiers.stops === undefined) return null;
    if (splitWhere(clause) && !/exposure|ev/.test(clause)) return null;
    const result = EXPOSURE_FORMS.match(clause, modifiers);
    if (result?.step.op !== 'tone' || result.step.tone.kind !== 'exposure') return result;
    const size = Math.abs(result.step.tone.stops);
    const stops = down ? -size : up ? size : result.step.tone.stops;
    return { ...result, step: { ...result.step, tone: { kind: 'exposure', stops } } };
  },
};

export const RANGE_VOCABULARY: VocabularyEntry[] = [
  rangeEntry(
    'lift-shadows',
    'Lift the shadows',
    'shadows',
    1,
    ['brighten the shadows', 'lift the shadows', 'open up the shadows a bit', 'more shadow detail'],
    [
      `${UP} ${SHADOWS}`,
      `(?:make )?${SHADOWS} (?:brighter|lighter|less dark|more visible)`,
      `(?:more|better) (?:shadow detail|detail in the shadows)`,
      `(?:bring out|recover|show|reveal|lift|brighten) (?:the |more )?(?:details?|detail) (?:in|of) ${SHADOWS}`,
      `shadows? (?:up|lift|recovery)`,
    ],
  ),
  rangeEntry(
    'deepen-shadows',
    'Deepen the shadows',
    'shadows',
    -1,
    ['darken the shadows', 'deepen the shadows', 'crush the blacks slightly', 'richer blacks'],
    [
      `(?:darken|deepen|lower|crush|bring down|pull down|drop|richen) ${SHADOWS}`,
      `(?:make )?${SHADOWS} (?:darker|deeper|richer|blacker)`,
      '(?:deeper|darker|richer) (?:shadows|blacks)',
    ],
  ),
  rangeEntry(
    'recover-highlights',
    'Tone down the highlights',
    'highlights',
    -1,
    ['recover the highlights', 'tone down the highlights', 'darken the highlights', 'reduce the blown out highlights'],
    [
      `${DOWN} ${HIGHLIGHTS}`,
      `(?:make )?${HIGHLIGHTS} (?:darker|less bright|less blown out|softer)`,
      '(?:highlight recovery|less blown out highlights)',
    ],
  ),
  rangeEntry(
    'boost-highlights',
    'Brighten the highlights',
    'highlights',
    1,
    ['brighten the highlights', 'boost the highlights', 'make the highlights brighter'],
    [
      `(?:brighten|lighten|boost|raise|lift|bring up|push up|increase) ${HIGHLIGHTS}`,
      `(?:make )?${HIGHLIGHTS} (?:brighter|lighter|pop)`,
      '(?:brighter|stronger) highlights',
    ],
  ),
  EXPOSURE_ENTRY,
  toneEntry({
    id: 'vibrance',
    instruction: 'Vibrance (make the colours pop)',
    examples: ['make the colours pop', 'add vibrance', 'increase the vibrance', 'make it pop', 'a little more vibrance'],
    description: 'Raises the saturation of dull colours most and of already-saturated colours and skin tones least; hue is kept.',
    verbs: [`(?:increase|boost|raise|add|bump up|turn up|enhance) (?:the |some )?(?:vibrance|vibrancy)`],
    adjectives: ['pop', 'poppy', 'pop more', 'punchy in color'],
    nouns: ['(?:more |some )?(?:vibrance|vibrancy)'],
    build: (m) => ({
      tone: { kind: 'vibrance', amount: m.percent !== undefined ? m.percent / 50 : (m.intensity ?? 1) },
      uses: ['percent', 'intensity'],
    }),
  }),
  SMOOTH_SKIN,
];
