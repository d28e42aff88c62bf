import { anchored } from './grammar.js';
import type { MatchResult, ModifierKind, Modifiers, VocabularyEntry, VocabularyGroup } from './entry-types.js';

/**
 * The helper the non-tone vocabulary is written with: an entry made of a few whole-clause patterns and a
 * builder that turns their named groups into a step (or null to let later entries try).
 */

/** Thrown by an entry that recognised the clause but must refuse it; the parser quotes the clause. */
export class ClauseRefusal extends Error {
  constructor(
    message: string,
    /** 'unsupported': understood but not done; 'needs-generative-model': content must be invented. */
    readonly kind: 'unsupported' | 'needs-generative-model' = 'unsupported',
  ) {
    super(message);
  }
}

/** A step as an entry builds it (the parser adds the clause and the entry id). */
export type Body = MatchResult['step'];

/**
 * @example
 * entry('flip', 'geometry', 'Flip / mirror', ['flip horizontally'], 'Mirrors the picture.',
 *   ['flip(?: (?<axis>horizontally|vertically))?'], (g) => ({ op: 'flip', axis: g.axis === 'vertically' ? 'vertical' : 'horizontal' }));
 */
export function entry(
  id: string,
  group: VocabularyGroup,
  instruction: string,
  examples: string[],
  description: string,
  patterns: string[],
  build: (groups: Record<string, string | undefined>, modifiers: Modifiers) => Body | null,
  /** The modifiers the builder reads (any other one in the clause is refused as not applying). */
  uses: ModifierKind[] = [],
): VocabularyEntry {
  const compiled = patterns.map((p) => anchored(p));
  return {
    id,
    group,
    instruction,
    examples,
    description,
    match(clause, modifiers) {
      for (const pattern of compiled) {
        const found = pattern.exec(clause);
        if (!found) continue;
        const step = build(found.groups ?? {}, modifiers);
        if (step) return { step, uses };
      }
      return null;
    },
  };
}
