import type { VocabularyEntry } from '../vocabulary/entry-types.js';

/**
 * "Did you mean ...": the instructions of the vocabulary nearest to a clause it did not understand, by the
 * words they share (reduced to rough stems, so "brightness" meets "brighten"). Cheap: a few hundred short
 * examples, compared once per refused clause.
 */

const IGNORED = new Set([
  'the',
  'a',
  'an',
  'it',
  'to',
  'of',
  'in',
  'on',
  'and',
  'by',
  'with',
  'make',
  'this',
  'my',
  'photo',
  'image',
  'picture',
  'more',
  'bit',
  'some',
  'please',
  'look',
  'can',
  'you',
  'could',
  'would',
  'like',
  'want',
  'just',
  'little',
  'lot',
  'much',
  'very',
  'him',
  'her',
  'his',
  'them',
  'they',
]);

function stem(word: string): string {
  return word.replace(/(?:ness|ing|ed|en|er|est|ly|s|y)$/, '');
}

function words(text: string): Set<string> {
  return new Set(
    text
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((w) => w.length > 1 && !IGNORED.has(w))
      .map(stem),
  );
}

/**
 * Up to `count` examples, one per entry, best first, each sharing a word (the thing or the attribute named)
 * with the clause; none when nothing is shared: "make the grass greener" is never offered "crop to 16:9".
 *
 * @example nearestInstructions('brighten the shadowz', VOCABULARY) // ['brighten the photo by 20%', ...]
 */
export function nearestInstructions(clause: string, vocabulary: readonly VocabularyEntry[], count = 3): string[] {
  const wanted = words(clause);
  const scored: Array<{ example: string; score: number }> = [];
  for (const entry of vocabulary) {
    let best = { example: entry.examples[0], score: 0 };
    for (const example of entry.examples) {
      const have = words(example);
      let shared = 0;
      for (const w of have) if (wanted.has(w)) shared++;
      const score = shared / Math.sqrt(Math.max(1, have.size) * Math.max(1, wanted.size));
      if (score > best.score) best = { example, score };
    }
    if (best.score > 0) scored.push(best);
  }
  scored.sort((a, b) => b.score - a.score);
  return scored.slice(0, count).map((s) => s.example);
}
