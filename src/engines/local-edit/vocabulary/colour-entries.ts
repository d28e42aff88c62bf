import { COLOR_PATTERN, parseColor } from '../../../imaging/colors.js';
import { readStuff } from '../tools/stuff-regions.js';
import type { Target } from '../plan/edit-plan.js';
import { BACKGROUND, MASKED, OBJECT, SUBJECT, readColor, readTarget } from './grammar.js';
import { entry } from './pattern-entry.js';
import type { VocabularyEntry } from './entry-types.js';
import { TONE_VOCABULARY } from './tone-entries.js';

/**
 * Colour changes of a named thing that keep its shading ("make the ball red", "make the grass greener"),
 * and the colour fixes of faces that need no generative model: whiter teeth, red eye, darker or lighter
 * hair. They come before the people refusals in matching order (table.ts): "make her hair darker" is a tone
 * edit of the hair, not a new hairstyle; clothes and faces stay refused there.
 */

/** A named region: never the bare "it" (the whole picture is not a thing to recolour). */
const T = `(?<target>${BACKGROUND}|${SUBJECT}|${MASKED}|${OBJECT})`;
const C = `(?<color>${COLOR_PATTERN})`;
const PERSON = "(?:(?:her|his|their|my|your|the (?:man|woman|person|guy|girl|boy|kid|child|model|bride|groom)'s|the) )?";
/** Clothes and faces: a person's stay with the people refusal (their outline is not found here). */
const PERSONAL =
  /\b(?:shirt|t shirt|dress|jacket|coat|suit|tie|hat|shoes|pants|trousers|jeans|skirt|uniform|clothes|outfit|eyes?|skin|lips|face|makeup|lipstick)\b/;

/** "the woman's red shirt", "her blue dress": clothes named by a colour, which can be found on a person. */
const COLOURED_CLOTHES = new RegExp(
  `\\b(?:${COLOR_PATTERN}) (?:shirt|t shirt|top|blouse|dress|jacket|coat|sweater|hoodie|skirt|pants|trousers|jeans|hat|cap|scarf)$`,
);

/** Comparatives to the colour they push toward ("greener" is toward green). */
const COMPARATIVES: Record<string, string> = {
  greener: 'green',
  bluer: 'blue',
  redder: 'red',
  yellower: 'yellow',
  pinker: 'pink',
  oranger: 'orange',
};
const MORE = `(?:(?<comparative>${Object.keys(COMPARATIVES).join('|')})|more (?<more>${COLOR_PATTERN})|(?<ish>${COLOR_PATTERN})der)`;

function namedTarget(text: string | undefined): Target | null {
  const target = readTarget(text);
  if (!target || target.kind === 'default' || target.kind === 'all') return null;
  // A person's clothes or face ("her dress", "the man's shirt") stay with the people refusal.
  const personal = target.kind === 'object' && PERSONAL.test(target.phrase) && !/\bhair\b/.test(target.phrase);
  // Unless the colour names them: "the woman's red shirt" is found as the red on the person (coloured-part-finder.ts).
  if (personal && /\b(?:her|his|their|my|your)\b|'s\b/.test(target.phrase) && !COLOURED_CLOTHES.test(target.phrase)) return null;
  return target;
}

/** "the cat's fur" is the cat: the outline found is the animal's. */
function thing(text: string | undefined): string | undefined {
  return text?.replace(/^(.*?)'s (?:fur|coat|feathers|plumage|paint|paintwork|color|body)$/, '$1');
}

/** Black and white as the normalised prompt spells it (prompt-text.ts makes "black & white", "b&w" one token). */
const MONO = '(?:black-and-white|grayscale|monochrome|gray)';

/** What turns in autumn: the trees' and plants' leaves, by the names the foliage finder knows. */
const LEAVES =
  '(?:the |its |their )?(?:trees?|leaves|foliage|bushes|hedges?|greenery|plants|forest|woods|park|garden)(?: and (?:the )?(?:trees?|leaves|foliage|bushes|hedges?|greenery|plants))?';
const AUTUMN = '(?:autumn|fall|autumnal)';

const toneEntry = (id: string) => TONE_VOCABULARY.find((e) => e.id === id)!;

export const COLOUR_VOCABULARY: VocabularyEntry[] = [
  entry(
    'recolour',
    'region',
    "Change a thing's colour (keeps its shading)",
    [
      'make the ball red',
      'turn the apple green',
      'make the wings blue instead of black',
      'change the color of the car to blue',
      'make the sign black',
    ],
    "Changes the hue and chroma of the named thing in OKLab, keeping its lightness, so its light, folds and texture stay; it follows the thing's " +
      'soft outline. Black or grey things get a tint that keeps their dark-to-light order; black, white and grey targets darken, lighten or ' +
      'desaturate it. Refused when the result would be a flat patch, or would not change. The thing is found by the detectors, or is the ' +
      "photo's main subject (said in the x-retouch-found header), or the mask.",
    [
      `(?:change|set|switch) (?:the )?color of ${T} (?:to|into) (?:a |an )?${C}`,
      `(?:make|turn|change|recolor|color|dye|switch|get) ${T} (?:to |into |in |so (?:it is|they are|that it is) )?(?:a |an )?(?:shade of )?${C}(?: color| colored| instead)?(?: (?:instead of|rather than|not|from) (?:${COLOR_PATTERN}))?`,
      `(?:make|turn) ${T}'s color ${C}`,
      // Painting a wall or a floor keeps its shading, as real paint does; "paint the masked area black" is a fill.
      `(?<paint>paint|repaint) ${T} (?:in )?(?:a |an )?${C}(?: colou?r)?`,
    ],
    (g) => {
      if (g.paint && !readStuff(g.target ?? '')) return null;
      // The greedy target takes the first word of a two-word colour: "paint the wall light blue" is the
      // wall in light blue, not "the wall light" in blue.
      const split = /^(.+) (\S+)$/.exec(g.target ?? '');
      const joined = split && g.color ? `${split[2]} ${g.color}` : null;
      if (split && joined && parseColor(joined)) [g.target, g.color] = [split[1], joined];
      const color = readColor(g.color);
      const target = namedTarget(thing(g.target));
      // "change the background to light grey" is a new backdrop (replace-background), not a tint of the old one.
      if (target?.kind === 'background') return null;
      return color && target && { op: 'recolour', recolour: { kind: 'to', color }, target };
    },
  ),
  entry(
    'recolour-more',
    'region',
    'Push a thing toward a colour ("greener")',
    ['make the grass greener', 'make the water bluer', 'make the lake more blue', 'make the apples redder'],
    'Turns the hue of the named thing part of the way toward the colour and raises its chroma, keeping its lightness and texture; ' +
      '"slightly" / "much" halve or double it. "make it bluer" (the whole picture) is the cooler white balance instead.',
    [
      `(?:make|turn|get) (?<whole>it|the (?:whole |entire )?(?:photo|image|picture)) (?:look )?${MORE}`,
      `(?:make|turn|get) ${T} (?:look )?${MORE}`,
      `(?:add )?more (?<more2>${COLOR_PATTERN}) (?:to|in|into) ${T}`,
    ],
    (g, modifiers) => {
      const name = g.comparative ? COMPARATIVES[g.comparative] : (g.more ?? g.more2 ?? g.ish);
      // The whole picture "more blue" is "bluer", the cooler white balance; "more orange" the warmer one.
      if (g.whole) {
        const balance = name === 'blue' ? 'cooler' : name === 'orange' || name === 'yellow' ? 'warmer' : null;
        return balance && (toneEntry(balance).match(`make it ${balance}`, modifiers)?.step ?? null);
      }
      const color = name ? parseColor(name) : null;
      const target = namedTarget(thing(g.target));
      const amount = modifiers.intensity ?? 1;
      return color && target && { op: 'recolour', recolour: { kind: 'more', color, amount }, target };
    },
    ['intensity'],
  ),
  onlyIf(
    /black-and-white|gray|monochrome|splash|selective/,
    entry(
      'colour-splash-thing',
      'region',
      'Colour splash on a named thing',
      [
        'black and white except the red shirt',
        'make everything black and white except the car',
        'keep only the red shirt in color',
      ],
      'Greyscale everywhere but the named thing, which keeps its colour, blended along its outline. The thing is found by the ' +
        'detectors, as clothes by their colour on a person ("the red shirt"), or is the mask.',
      [
        `(?:make |turn |convert )?(?:it |everything |all |the (?:whole |entire )?(?:photo|image|picture) )?(?:in(?:to)? |to )?${MONO}(?: everything)? (?:except(?: for)?|but|apart from|other than|save for|besides|without) ${T}`,
        `(?:color splash|selective color(?:ing)?)(?: effect)? (?:on|of|for|with) ${T}`,
      ],
      (g) => {
        const target = namedTarget(thing(g.target));
        if (!target || target.kind === 'background') return null;
        // "Everything but the subject" is the colour splash of the background.
        if (target.kind === 'subject')
          return { op: 'tone', tone: { kind: 'greyscale' }, target: { kind: 'background' }, strength: 1 };
        return { op: 'tone', tone: { kind: 'greyscale' }, target, strength: 1, outside: true };
      },
    ),
  ),
  onlyIf(
    /autumn|fall/,
    entry(
      'autumn-leaves',
      'region',
      'Autumn colours on the leaves',
      ['make the trees look like autumn', 'give the leaves autumn colors', 'make it look like fall', 'autumn foliage'],
      "Turns the green of the trees, bushes and leaves (the foliage finder's, by colour and texture, with a canopy's shade) to " +
        "autumn's: darker leaves toward red, lighter ones toward orange and yellow, shaded ones toward a dark red-brown, lightness " +
        'and texture kept. A colour edit, not a new season: bare ' +
        'branches, fallen leaves or snow need a generative model. Refused when the photo has no green foliage.',
      [
        `(?:make|turn|change|get) (?<target>${LEAVES}|it|the (?:whole )?(?:photo|image|picture|scene)) (?:look )?(?:like |into |to |in )?(?:it is |it's |it was )?(?:in )?(?:the )?${AUTUMN}(?: (?:colou?rs?|tones|foliage|leaves|look))?`,
        `(?:give|add|apply) (?:(?<target2>${LEAVES}|it|the (?:photo|image|picture)) )?(?:an? |some )?${AUTUMN}(?:al)? (?:colou?rs?|tones|look|feel|foliage)(?: (?:to|on) (?<target3>${LEAVES}))?`,
        `(?:an? )?${AUTUMN}(?:al)? (?:colou?rs?|tones|look|foliage|leaves)(?: (?:on|for) (?<target4>${LEAVES}))?`,
      ],
      (_g, modifiers) => ({
        op: 'recolour',
        recolour: { kind: 'autumn', amount: Math.min(1, modifiers.intensity ?? 1) },
        target: { kind: 'object', phrase: 'the foliage' },
      }),
      ['intensity'],
    ),
  ),
  entry(
    'whiten-teeth',
    'region',
    'Whiten the teeth',
    ['whiten the teeth', 'whiten her teeth', 'make his teeth whiter', 'teeth whitening'],
    'Takes the yellow out of the light, dull pixels of the mouth of each face the face detector finds (lips and gums, redder, are ' +
      'left alone) and lifts them a little, keeping their texture. Refused when no face is found, or no teeth show.',
    [
      `(?:whiten|brighten|clean) ${PERSON}(?:teeth|smile)`,
      `make ${PERSON}(?:teeth|smile) (?:whiter|brighter|white)`,
      'teeth whitening',
    ],
    (_g, modifiers) => ({
      op: 'recolour',
      recolour: { kind: 'whiten', amount: Math.min(1, modifiers.intensity ?? 1) },
      target: { kind: 'object', phrase: 'the teeth' },
    }),
    ['intensity'],
  ),
  entry(
    'red-eye',
    'region',
    'Red-eye correction',
    ['remove red eye', 'fix the red eyes', 'remove the red eye from her eyes'],
    'In the eyes of each face the face detector finds, takes the red out of flash-lit pupils and darkens them; nothing else changes. ' +
      'Refused when no face is found, or the eyes are not red.',
    [
      `(?:remove|fix|correct|reduce|get rid of|repair)(?: the)? red ?eyes?(?: effect)?(?: (?:from|in) ${PERSON}eyes)?`,
      'red ?eye (?:removal|correction|fix|reduction)',
    ],
    () => ({ op: 'recolour', recolour: { kind: 'red-eye' }, target: { kind: 'object', phrase: 'the eyes' } }),
  ),
  entry(
    'hair-tone',
    'region',
    'Darker or lighter hair',
    ['make her hair darker', 'lighten his hair a bit', 'darken the hair'],
    "Darkens or lightens the hair: the subject's outline above and beside each face the face detector finds, without the face. It " +
      'can fail on hair that is not part of the segmented subject, and counts a hat as hair.',
    [`make ${PERSON}hair (?<way>darker|lighter|brighter)`, `(?<verb>darken|lighten|brighten) ${PERSON}hair`],
    (g, modifiers) => {
      const darker = g.way === 'darker' || g.verb === 'darken';
      const found = toneEntry(darker ? 'darker' : 'brighter').match(
        darker ? 'make the hair darker' : 'make the hair brighter',
        modifiers,
      );
      return found?.step ?? null;
    },
    ['intensity', 'percent'],
  ),
];

/** `vocabularyEntry`, skipped for clauses without a word `hint` finds (its patterns are long; most clauses lack it). */
function onlyIf(hint: RegExp, vocabularyEntry: VocabularyEntry): VocabularyEntry {
  return {
    ...vocabularyEntry,
    match: (clause, modifiers) => (hint.test(clause) ? vocabularyEntry.match(clause, modifiers) : null),
  };
}
