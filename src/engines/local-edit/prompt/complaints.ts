/**
 * People often say what is wrong rather than what to do: "it's too dark", "the shadows are too dark",
 * "the photo is a bit washed out", "it's underexposed". Each complaint here has one obvious remedy,
 * rewritten into a wording the vocabulary has; anything else is left alone (and refused if not understood).
 */

const PICTURE = '(?:it|this|that|(?:the|this|my) (?:photo|image|picture|shot|colors|whole thing|lighting))';
const IS = "(?: is| looks| seems| feels|'s| are| look| seem| came out| turned out)";
const DEGREE =
  '(?:(?:a bit|a little|a tad|slightly|way|much|far|kind of|kinda|really|very|quite|rather|pretty|so|just|also|still) )*';
const SLIGHT = /\b(?:a bit|a little|a tad|slightly|kind of|kinda)\b/;
const STRONG = /\b(?:way|much|far|really|very|so)\b/;

/** Complaint word -> remedy (what the vocabulary understands). */
const REMEDIES: Record<string, string> = {
  dark: 'make it brighter',
  dim: 'make it brighter',
  underexposed: 'make it brighter',
  bright: 'make it darker',
  overexposed: 'make it darker',
  flat: 'increase the contrast',
  dull: 'add vibrance',
  'washed out': 'add vibrance',
  faded: 'add vibrance',
  bland: 'add vibrance',
  saturated: 'make it less saturated',
  oversaturated: 'make it less saturated',
  garish: 'make it less saturated',
  contrasty: 'reduce the contrast',
  harsh: 'reduce the contrast',
  yellow: 'make it cooler',
  orange: 'make it cooler',
  warm: 'make it cooler',
  blue: 'make it warmer',
  cold: 'make it warmer',
  cool: 'make it warmer',
  blurry: 'sharpen it',
  soft: 'sharpen it',
  noisy: 'denoise it',
  grainy: 'denoise it',
  crooked: 'straighten it',
  tilted: 'straighten it',
  wonky: 'straighten it',
  skewed: 'straighten it',
  off: 'fix the colors',
};

/**
 * Said without "too", only these are clearly complaints ("it looks cool" is praise, "it's washed out" is not).
 * "The photo is kinda dark" is one too: said of the picture itself, dark is a fault ("bright" is not).
 */
const PLAIN_WORDS =
  'off|dark|underexposed|overexposed|washed out|flat|dull|faded|bland|blurry|noisy|grainy|crooked|tilted|wonky|skewed|oversaturated|garish|harsh|dim';
/** Clear enough as a clause of their own ("underexposed, fix it"); "off" alone is not. */
const BARE_WORDS = PLAIN_WORDS.replace(/^off\|dark\|/, '');
const WORDS = Object.keys(REMEDIES)
  .sort((a, b) => b.length - a.length)
  .join('|');
const PICTURE_COMPLAINT = new RegExp(
  `^(?:(?:${PICTURE}${IS}|it's|its) )?(?<degree>${DEGREE})(?:too |overly |a bit too )(?<word>${WORDS})$|^(?:${PICTURE}${IS}|it's|its) (?<degree2>${DEGREE})(?<word2>${PLAIN_WORDS})$|^(?<degree3>${DEGREE})(?<word3>${BARE_WORDS})$`,
);
const RANGE_COMPLAINT = new RegExp(
  `^(?:the )?(?<range>shadows|dark areas|dark parts|highlights|bright areas|bright parts|lights|lamps|street ?lights|floodlights)(?: are| look| seem)? (?<degree>${DEGREE})(?:too )?(?<word>dark|black|crushed|blocked up|bright|blown(?: out)?|white|clipped|glaring|harsh)$`,
);
const HORIZON =
  /^the (?:horizon|skyline)(?: is| looks|'s)? (?:a bit |a little |slightly )?(?:crooked|tilted|not straight|not level|wonky|off|slanted|skewed)$/;

/**
 * @example rewriteComplaint("it's a bit too dark") // 'make it slightly brighter'
 * @example rewriteComplaint('the shadows are too dark') // 'brighten the shadows'
 */
export function rewriteComplaint(clause: string): string {
  if (HORIZON.test(clause)) return 'straighten the horizon';
  const range = RANGE_COMPLAINT.exec(clause);
  if (range) {
    const { range: which, degree, word } = range.groups!;
    const dark = /dark|black|crushed|blocked/.test(word);
    // "The lights are too glaring": lamps and floodlights are the picture's highlights.
    const shadows = /shadows|dark/.test(which);
    // Shadows too dark: lift them; highlights too bright: bring them down; the other two are odd but clear.
    const verb = dark ? 'brighten' : 'darken';
    // Lamps are the brightest, smallest highlights: a plain recovery hardly touches them, so they get a strong one.
    const lamps = /^(?:lights|lamps|street ?lights|floodlights)$/.test(which);
    return `${verb} the ${shadows ? 'shadows' : 'highlights'}${SLIGHT.test(degree) ? ' slightly' : lamps ? ' a lot' : ''}`;
  }
  const found = PICTURE_COMPLAINT.exec(clause);
  if (!found) return clause;
  const groups = found.groups!;
  const remedy = REMEDIES[groups.word ?? groups.word2 ?? groups.word3];
  const degree = groups.degree ?? groups.degree2 ?? groups.degree3 ?? '';
  // Straightening has no strength; tone remedies follow the degree ("a bit too dark", "way too dark").
  if (remedy.startsWith('straighten')) return remedy;
  if (SLIGHT.test(degree)) return `${remedy} slightly`;
  return STRONG.test(degree) ? `${remedy} much` : remedy;
}
