/**
 * Turns a prompt into the token readings the policy matches against. People who want to slip a word past a
 * filter disguise it (`N u D e`, `n.u.d.e`, `s3xy`, `p0rn`, zero-width characters, Cyrillic look-alikes,
 * `ｎｕｄｅ`); each disguise is undone here so the word lists only ever hold plain lower-case English.
 *
 * Some disguises are ambiguous (`1` is `i` or `l`; `blow-out` may be one word or two), so a prompt yields
 * a few readings and the checker looks at all of them. Repeated letters (`nuuuude`) are not undone here:
 * the matcher compares letter runs instead (see patterns.ts), which keeps `cook` apart from `cock`.
 */

/** One reading of a prompt: lower-case ASCII tokens of letters and digits. */
export type TokenReading = readonly string[];

/** Characters that render as nothing and are used to split a word without showing it. */
const INVISIBLE = /\p{Cf}|\u034F|\u115F|\u1160|\u17B4|\u17B5|\u180E|\u2800|\u3164|\uFFA0/gu;
const APOSTROPHES = /['\u2018\u2019\u02BC\u0060\u00B4]/g;

/** Letters NFKD does not decompose, and Cyrillic/Greek letters that look like Latin ones. */
const LOOKALIKES: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ſ: 's',
  ĸ: 'k',
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  з: '3',
  і: 'i',
  ї: 'i',
  ј: 'j',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  ѕ: 's',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ү: 'y',
  һ: 'h',
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ω: 'w',
  ϲ: 'c',
};
const LOOKALIKE_PATTERN = new RegExp(`[${Object.keys(LOOKALIKES).join('')}]`, 'g');

/**
 * Case, compatibility forms (full-width, mathematical, circled letters), diacritics, invisible characters,
 * apostrophes and look-alike letters, folded away. Whitespace and other punctuation stay.
 *
 * @example foldText('Ｎ\u200Bu̶d̶é') === 'nude'
 */
export function foldText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(INVISIBLE, '')
    .replace(APOSTROPHES, '')
    .replace(LOOKALIKE_PATTERN, (ch) => LOOKALIKES[ch] ?? ch);
}

type LeetMode = 'none' | 'i' | 'l';

const LEET_DIGITS: Readonly<Record<string, string>> = {
  '0': 'o',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '6': 'g',
  '7': 't',
  '8': 'b',
  '9': 'g',
};

function leetChar(ch: string, mode: Exclude<LeetMode, 'none'>): string | undefined {
  if (ch === '1' || ch === '|') return mode;
  if (ch === '!') return 'i';
  if (ch === '@') return 'a';
  if (ch === '$') return 's';
  if (ch === '+') return 't';
  if (ch === '€') return 'e';
  return LEET_DIGITS[ch];
}

const isLetter = (ch: string | undefined): boolean => ch !== undefined && ch >= 'a' && ch <= 'z';

/**
 * Reads leetspeak in one whitespace-free chunk. Digits count as letters only in chunks that have letters
 * (`16:9` and `$5` stay numbers) or stand alone (`s 3 x`). Symbols count only inside a word (`nude!` ends
 * with an exclamation mark), except `$` and `@`, which also start or end one (`$ex`, `tople$$`).
 */
function readLeet(chunk: string, mode: LeetMode): string {
  if (mode === 'none') return chunk;
  const chars = [...chunk];
  if (chars.length > 1 && !chars.some(isLetter)) return chunk;
  const wordish = (ch: string | undefined): boolean => ch !== undefined && (isLetter(ch) || leetChar(ch, mode) !== undefined);
  return chars
    .map((ch, i) => {
      const letter = leetChar(ch, mode);
      if (letter === undefined) return ch;
      if (/[0-9]/.test(ch) || chars.length === 1) return letter;
      const before = wordish(chars[i - 1]);
      const after = wordish(chars[i + 1]);
      return (before && after) || ((ch === '$' || ch === '@') && (before || after)) ? letter : ch;
    })
    .join('');
}

/**
 * Joins runs of single letters (`n u d e`, or `n.u.d.e` once split) into one token. A leading `a` or `i`
 * stays a word of its own when three or more letters follow it (`a n u d e child`).
 */
function joinSpelledOut(tokens: string[]): string[] {
  const out: string[] = [];
  let run: string[] = [];
  const flush = (): void => {
    if (run.length >= 2) {
      if ((run[0] === 'a' || run[0] === 'i') && run.length >= 4) out.push(run.shift()!);
      out.push(run.join(''));
    } else out.push(...run);
    run = [];
  };
  for (const token of tokens) {
    if (token.length === 1 && isLetter(token)) run.push(token);
    else {
      flush();
      out.push(token);
    }
  }
  flush();
  return out;
}

const PLAIN_WORD = /^[a-z]+$/;

function tokenize(chunks: readonly string[], mode: LeetMode, joinPunctuation: boolean): string[] {
  const tokens: string[] = [];
  for (const chunk of chunks) {
    // Most chunks are plain words, which every reading takes as they are.
    if (PLAIN_WORD.test(chunk)) {
      tokens.push(chunk);
      continue;
    }
    const read = readLeet(chunk, mode);
    if (joinPunctuation) {
      const joined = read.replace(/[^a-z0-9]+/g, '');
      if (joined !== '') tokens.push(joined);
    } else {
      for (const part of read.split(/[^a-z0-9]+/)) if (part !== '') tokens.push(part);
    }
  }
  return joinSpelledOut(tokens);
}

/** A `*` between letters hides one (`p*rn`, `n*de`); it is tried as each vowel in turn. */
const HIDDEN_LETTER = /(?<=[a-z0-9])\*+(?=[a-z0-9])/g;

/**
 * Every distinct reading of a prompt: leetspeak off, with `1` as `i`, and with `1` as `l`; punctuation
 * inside a word as a break (`blow-out` → `blow out`) and as nothing (`nu.de` → `nude`); a `*` inside a
 * word as each vowel.
 *
 * @example tokenReadings('S3XY n.u.d.e') // includes ['sexy', 'nude']
 */
export function tokenReadings(prompt: string): TokenReading[] {
  const chunks = foldText(prompt)
    .split(/\s+/)
    .filter((chunk) => chunk !== '');
  const odd = chunks.filter((chunk) => !PLAIN_WORD.test(chunk));
  // Only readings that can differ are made: the others would repeat the first one.
  const modes: LeetMode[] = odd.some((chunk) => /[0-9|!@$+€]/.test(chunk)) ? ['none', 'i', 'l'] : ['none'];
  const joins = odd.some((chunk) => /[a-z0-9][^a-z0-9]+[a-z0-9]/.test(chunk)) ? [false, true] : [false];
  const variants: Array<{ chunks: readonly string[]; modes: LeetMode[]; joins: boolean[] }> = [{ chunks, modes, joins }];
  if (odd.some((chunk) => chunk.search(HIDDEN_LETTER) !== -1)) {
    for (const vowel of 'aeiou') {
      const filled = chunks.map((chunk) => chunk.replace(HIDDEN_LETTER, (stars) => vowel.repeat(stars.length)));
      variants.push({ chunks: filled, modes: ['i'], joins: [false] });
    }
  }
  const seen = new Set<string>();
  const readings: TokenReading[] = [];
  for (const variant of variants) {
    for (const mode of variant.modes) {
      for (const joinPunctuation of variant.joins) {
        const tokens = tokenize(variant.chunks, mode, joinPunctuation);
        const key = tokens.join(' ');
        if (seen.has(key)) continue;
        seen.add(key);
        readings.push(tokens);
      }
    }
  }
  return readings;
}
