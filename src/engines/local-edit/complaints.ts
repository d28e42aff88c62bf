/**
 * People often say what is wrong rather than what to do: "it's too dark", "the shadows are too dark",
 * "the photo is a bit washed out", "it's underexposed". Each complaint here has one obvious remedy,
 * rewritten into a wording the vocabulary has; anything else is left alone (and refused if not understood).
 */

const PICTURE = "(?:it|this|that|the (?:photo|image|picture|shot|colors|whole thing|lighting))";
const IS = "(?: is| looks| seems| feels|'s| are| look| seem| came out| turned out)";
const DEGREE = '(?:(?:a bit|a little|a tad|slightly|way|much|far|kind of|kinda|really|very|quite|rather|pretty|so|just|also|still) )*';
const SLIGHT = /\b(?:a bit|a little|a tad|slightly|kind of|kinda)\b/;

/** Complaint word -> remedy (what the vocabulary understands). */
const REMEDIES: Record<string, string> = {
  dark: 'make it brighter',
  dim: 'make it brighter',
  underexposed: 'make it brighter',
  bright: 'make it darker',
  overexposed: 'make it darker',
  flat: 'increase the contrast',
  dull: 'make it more vibrant',
  'washed out': 'make it more vibrant',
  faded: 'make it more vibrant',
  bland: 'make it more vibrant',
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
};

const WORDS = Object.keys(REMEDIES).sort((a, b) => b.length - a.length).join('|');
const PICTURE_COMPLAINT = new RegExp(`^(?:${PICTURE}${IS}|it's|its) (?<degree>${DEGREE})(?:too |overly |a bit too )?(?<word>${WORDS})$`);
const RANGE_COMPLAINT = new RegExp(
  `^(?:the )?(?<range>shadows|dark areas|dark parts|highlights|bright areas|bright parts)(?: are| look| seem)? (?<degree>${DEGREE})(?:too )?(?<word>dark|black|crushed|blocked up|bright|blown(?: out)?|white|clipped)$`,
);
const HORIZON = /^the (?:horizon|skyline)(?: is| looks|'s)? (?:a bit |a little |slightly )?(?:crooked|tilted|not straight|not level|wonky|off|slanted|skewed)$/;

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
    const shadows = /shadows|dark/.test(which);
    // Shadows too dark: lift them; highlights too bright: bring them down; the other two are odd but clear.
    const verb = dark ? 'brighten' : 'darken';
    return `${verb} the ${shadows ? 'shadows' : 'highlights'}${SLIGHT.test(degree) ? ' slightly' : ''}`;
  }
  const found = PICTURE_COMPLAINT.exec(clause);
  if (!found) return clause;
  const remedy = REMEDIES[found.groups!.word];
  return SLIGHT.test(found.groups!.degree) ? `${remedy} slightly` : remedy;
}
