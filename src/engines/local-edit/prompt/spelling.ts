import { NAMED_COLORS } from '../../../imaging/colors.js';
import { thingNameWords } from '../tools/thing-words.js';
import { VOCABULARY } from '../vocabulary/table.js';

/**
 * Typos in prompts ("backgrond", "brigther", "saturaton"): a word the engine does not know is replaced by
 * the one word it knows within a small edit distance (insertions, deletions, substitutions and swapped
 * neighbours): 1 for words of 6 or 7 letters, 2 for longer ones. Short words are never changed ("hat" is
 * not "cat"), nor is a word with two equally near candidates. The words known are every word of the
 * vocabulary (examples, names and descriptions, which hold plenty of plain English), the names of the
 * things the detectors find, the colour names and a few common words of requests, so an ordinary word is
 * rarely mistaken for a typo; one that is still reaches the parser unchanged when nothing is near it.
 */

const EXTRA = [
  'please',
  'thanks',
  'could',
  'would',
  'should',
  'hello',
  'there',
  'again',
  'maybe',
  'really',
  'little',
  'picture',
  'photo',
  'image',
  'squirrel',
  'rabbit',
  'flower',
  'flowers',
  'apple',
  'apples',
  'lemon',
  'lemons',
  'grass',
  'water',
  'wings',
  'teeth',
  'whiten',
  'whiter',
  'greener',
  'bluer',
  'redder',
  'yellower',
  'pinker',
  'instead',
  'rocket',
  'monkey',
  'shirt',
  'jacket',
  'sweater',
  'wonderful',
  'amazing',
  'awesome',
  'great',
  'perfect',
  'lovely',
  'appreciate',
  'appreciated',
  'wondering',
  'possible',
  'something',
  'anything',
  'everything',
  'slightly',
  'stands',
  'happier',
];

let known: Set<string> | null = null;
let byLength: Map<number, string[]> | null = null;

function knownWords(): Set<string> {
  if (known) return known;
  const text = VOCABULARY.flatMap((e) => [e.instruction, e.description, ...e.examples]).join(' ');
  const words = [
    ...text
      .toLowerCase()
      .replace(/colour/g, 'color')
      .split(/[^a-z]+/),
    ...thingNameWords(),
    ...Object.keys(NAMED_COLORS).flatMap((c) => c.split(' ')),
    ...EXTRA,
  ].filter((w) => w.length > 1);
  known = new Set(words);
  byLength = new Map();
  for (const w of known) byLength.set(w.length, [...(byLength.get(w.length) ?? []), w]);
  return known;
}

/**
 * The optimal-string-alignment distance of a and b, or `bound + 1` as soon as it must exceed `bound`.
 * Kept here rather than taken from npm (looked at for issue 19): fastest-levenshtein, fast-levenshtein and
 * js-levenshtein compute plain Levenshtein, which counts a swap of two letters, the commonest typo
 * ("brigthen"), as two edits, so a 6- or 7-letter word within our bound of 1 would go uncorrected; and
 * damerau-levenshtein, which counts swaps, fills the whole matrix with no bound to stop early, where this
 * loop gives up after the first row past the bound (most of the vocabulary is rejected in a row or two).
 */
export function editDistance(a: string, b: string, bound: number): number {
  if (Math.abs(a.length - b.length) > bound) return bound + 1;
  let before = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2] + 1);
      cur[j] = d;
      best = Math.min(best, d);
    }
    if (best > bound) return bound + 1;
    [before, prev, cur] = [prev, cur, before];
  }
  return Math.min(prev[b.length], bound + 1);
}

/** Endings of ordinary English words that no instruction word has: such a word is the person's, not a typo. */
const ENGLISH_ENDING =
  /(?:ing|ings|tion|tions|sion|ness|ment|ments|able|ible|ful|ous|ive|ity|ism|ist|ists|ance|ence|ship|hood|ward|wise)$/;

const corrected = new Map<string, string | null>();

/** The known word nearest to `word`, or null (unknown, short, nothing near, or a tie). Remembered per word. */
export function correctWord(word: string): string | null {
  const cached = corrected.get(word);
  if (cached !== undefined) return cached;
  const found = nearestKnown(word);
  if (corrected.size > 10_000) corrected.clear();
  corrected.set(word, found);
  return found;
}

function nearestKnown(word: string): string | null {
  const words = knownWords();
  if (word.length < 6 || words.has(word) || !/^[a-z]+$/.test(word) || ENGLISH_ENDING.test(word)) return null;
  // A plural or a verb's -s form of a known word is a word, not a typo ("lights", "glasses"); so is the
  // stem of one ("bright" of "brighter", "sharp" of "sharpen").
  if (words.has(word.replace(/e?s$/, '')) || words.has(word.replace(/ies$/, 'y'))) return null;
  if (['er', 'en', 'ness', 'ly', 'est', 'ed'].some((end) => words.has(word + end))) return null;
  const bound = word.length >= 8 ? 2 : 1;
  let best: string | null = null;
  let bestDistance = bound + 1;
  let tie = false;
  for (let length = word.length - bound; length <= word.length + bound; length++) {
    for (const candidate of byLength!.get(length) ?? []) {
      const d = editDistance(word, candidate, bound);
      if (d < bestDistance) [best, bestDistance, tie] = [candidate, d, false];
      else if (d === bestDistance) tie = true;
    }
  }
  return best && !tie ? best : null;
}

/** Quoted or written-out text is the user's own ("add the text Happy Birthdya" stays as typed). */
const TEXT_WORDS = /\b(?:text|write|writing|saying|says|caption|words|letters|title|label)\b/;

/**
 * The sentence with its typos corrected (see above); sentences that carry text to draw are left alone.
 *
 * @example correctSpelling('remove the backgrond') // 'remove the background'
 */
export function correctSpelling(sentence: string): string {
  // Longer than any instruction: refused as it is, so not worth the search.
  if (TEXT_WORDS.test(sentence) || sentence.length > 600) return sentence;
  return sentence.replace(/[a-z]+/g, (word) => correctWord(word) ?? word);
}
