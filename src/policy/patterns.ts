/**
 * Phrase lists and how they match a token reading (see normalize.ts).
 *
 * Syntax of a phrase: words separated by spaces, matched against consecutive tokens (so matches always
 * start and end on word boundaries: `nude` never matches inside `denuded`). Within a word:
 * - `a|b|c` lists alternatives;
 * - an alternative ending in `*` matches any token it begins (`behead*` matches `beheading`);
 * - `_` matches any one token;
 * - `<age>` matches a number under 18, in digits or words (`12`, `twelve`);
 * - `<age-yo>` matches such a number glued to its unit (`12yo`, `12yrs`).
 *
 * Repeated letters: a token matches a word when it has the same letters in the same order and each run of
 * a repeated letter is at least as long as the word's (`nuuuude` and `sexxy` match `nude` and `sexy`), but
 * never by dropping letters (`cook` does not match `cock`, `bobs` does not match `boobs`). Digits must
 * match exactly (`111` is not `1`).
 */

interface Run {
  ch: string;
  n: number;
}

function runsOf(word: string): Run[] {
  const runs: Run[] = [];
  for (const ch of word) {
    const last = runs[runs.length - 1];
    if (last !== undefined && last.ch === ch) last.n += 1;
    else runs.push({ ch, n: 1 });
  }
  return runs;
}

/** The word with every run of a repeated letter reduced to one letter: the key of the phrase index. */
export function squeeze(word: string): string {
  let out = '';
  for (const ch of word) if (out[out.length - 1] !== ch) out += ch;
  return out;
}

const isDigit = (ch: string): boolean => ch >= '0' && ch <= '9';

function dominates(tokenRuns: readonly Run[], wordRuns: readonly Run[], prefix: boolean): boolean {
  if (prefix ? tokenRuns.length < wordRuns.length : tokenRuns.length !== wordRuns.length) return false;
  for (let i = 0; i < wordRuns.length; i++) {
    const t = tokenRuns[i];
    const w = wordRuns[i];
    if (t.ch !== w.ch || t.n < w.n || (t.n !== w.n && isDigit(w.ch))) return false;
  }
  return true;
}

/** Where a phrase matched: tokens `start` (inclusive) to `end` (exclusive) of one reading. */
export interface Span {
  start: number;
  end: number;
  phrase: string;
}

/**
 * A token reading prepared for matching: each token's letter runs and index key, computed once and
 * shared by every phrase list. A blank token (a masked benign phrase) matches nothing.
 */
export class PreparedReading {
  readonly tokens: readonly string[];
  readonly keys: readonly string[];
  readonly runs: ReadonlyArray<readonly Run[]>;

  constructor(tokens: readonly string[], keys?: readonly string[], runs?: ReadonlyArray<readonly Run[]>) {
    this.tokens = tokens;
    if (keys !== undefined && runs !== undefined) {
      this.keys = keys;
      this.runs = runs;
      return;
    }
    const memo = new Map<string, Run[]>();
    this.runs = tokens.map((token) => {
      let tokenRuns = memo.get(token);
      if (tokenRuns === undefined) {
        tokenRuns = runsOf(token);
        memo.set(token, tokenRuns);
      }
      return tokenRuns;
    });
    this.keys = this.runs.map((tokenRuns) => tokenRuns.map((run) => run.ch).join(''));
  }

  get length(): number {
    return this.tokens.length;
  }

  /** The same reading with tokens `start` to `end` of each span blanked. */
  blank(spans: readonly Span[]): PreparedReading {
    if (spans.length === 0) return this;
    const tokens = [...this.tokens];
    const keys = [...this.keys];
    const runs = [...this.runs];
    for (const { start, end } of spans) {
      tokens.fill('', start, end);
      keys.fill('', start, end);
      runs.fill([], start, end);
    }
    return new PreparedReading(tokens, keys, runs);
  }
}

const NUMBER_WORDS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
];
const AGES = [...Array.from({ length: 18 }, (_, age) => String(age)), ...NUMBER_WORDS];
const AGE_UNITS = ['y', 'yo', 'yr', 'yrs', 'yrold', 'yrsold', 'yearold', 'yearsold'];

/** Special words spelt out as plain alternatives, so they are indexed like any other word. */
const SPECIAL_WORDS: Readonly<Record<string, string>> = {
  '<age>': AGES.join('|'),
  '<age-yo>': AGES.slice(0, 18)
    .flatMap((age) => AGE_UNITS.map((unit) => age + unit))
    .join('|'),
};

/** Prefix alternatives are indexed by their first letters, so a prefix must have at least this many. */
const PREFIX_KEY_LENGTH = 3;

/** Tests the token at one position of a reading. */
type WordTest = (reading: PreparedReading, index: number) => boolean;

interface Phrase {
  source: string;
  words: WordTest[];
}

function compileWord(word: string, phrase: string): WordTest {
  if (word === '_') return (reading, i) => reading.tokens[i] !== '';
  const alternatives = word.split('|').map((alternative) => {
    const prefix = alternative.endsWith('*');
    const letters = prefix ? alternative.slice(0, -1) : alternative;
    if (!/^[a-z0-9]+$/.test(letters) || (prefix && squeeze(letters).length < PREFIX_KEY_LENGTH)) {
      throw new Error(`Invalid word "${word}" in policy phrase "${phrase}"`);
    }
    return { runs: runsOf(letters), prefix };
  });
  return (reading, i) => alternatives.some((alt) => dominates(reading.runs[i], alt.runs, alt.prefix));
}

function addTo<T>(map: Map<string, T[]>, key: string, item: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [item]);
  else if (!list.includes(item)) list.push(item);
}

/**
 * A compiled phrase list. Phrases are indexed by their first word, so matching costs about one map
 * look-up per token whatever the list's size.
 *
 * @example new Lexicon(['bloody mary', 'behead*']).matches(new PreparedReading(['a', 'bloody', 'mary']))
 * // [{ start: 1, end: 3, phrase: 'bloody mary' }]
 */
export class Lexicon {
  private readonly byFirst = new Map<string, Phrase[]>();
  private readonly byPrefix = new Map<string, Array<{ prefix: string; phrase: Phrase }>>();

  constructor(phrases: readonly string[]) {
    for (const source of phrases) {
      const words = source
        .trim()
        .split(/\s+/)
        .map((word) => SPECIAL_WORDS[word] ?? word);
      if (words[0] === '' || words[0] === '_') throw new Error(`Invalid policy phrase "${source}"`);
      const phrase: Phrase = { source, words: words.map((word) => compileWord(word, source)) };
      for (const alternative of words[0].split('|')) {
        if (alternative.endsWith('*')) {
          const prefix = squeeze(alternative.slice(0, -1));
          addTo(this.byPrefix, prefix.slice(0, PREFIX_KEY_LENGTH), { prefix, phrase });
        } else {
          addTo(this.byFirst, squeeze(alternative), phrase);
        }
      }
    }
  }

  /** Every match of every phrase in one reading, in order of start (a phrase may repeat at one start). */
  matches(reading: PreparedReading): Span[] {
    const spans: Span[] = [];
    const tryPhrase = (phrase: Phrase, start: number): void => {
      const end = start + phrase.words.length;
      if (end > reading.length) return;
      for (let k = 0; k < phrase.words.length; k++) if (!phrase.words[k](reading, start + k)) return;
      spans.push({ start, end, phrase: phrase.source });
    };
    for (let start = 0; start < reading.length; start++) {
      const key = reading.keys[start];
      if (key === '') continue;
      const exact = this.byFirst.get(key);
      if (exact !== undefined) for (const phrase of exact) tryPhrase(phrase, start);
      const prefixed = this.byPrefix.get(key.slice(0, PREFIX_KEY_LENGTH));
      if (prefixed !== undefined) {
        for (const { prefix, phrase } of prefixed) if (key.startsWith(prefix)) tryPhrase(phrase, start);
      }
    }
    return spans;
  }
}

/** Gaps between two spans in tokens: 0 when they overlap, 1 when adjacent. */
export function spanDistance(a: Span, b: Span): number {
  if (a.end <= b.start) return b.start - a.end + 1;
  if (b.end <= a.start) return a.start - b.end + 1;
  return 0;
}
