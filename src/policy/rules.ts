import { Lexicon, type PreparedReading, spanDistance, type Span } from './patterns.js';

/**
 * The shape of one category's word lists (src/policy/lists/*.ts). A prompt falls in the category when a
 * phrase of `alone` occurs in it, or when phrases of both lists of a `near` rule occur within `window`
 * tokens of each other (a minor term alone is fine; a minor term next to a sexual one is not).
 */
export interface CategoryRules {
  readonly alone: readonly string[];
  readonly near: ReadonlyArray<NearRule>;
}

export interface NearRule {
  readonly first: readonly string[];
  readonly second: readonly string[];
  /** Largest distance in tokens between the two phrases; 1 means adjacent. */
  readonly window: number;
}

/** Why a reading fell in a category: the phrase(s) that matched. */
export interface RuleMatch {
  phrases: string[];
  tokens: string[];
}

interface CompiledNear {
  first: Lexicon;
  second: Lexicon;
  window: number;
}

function quote(reading: PreparedReading, span: Span): string {
  return reading.tokens.slice(span.start, span.end).join(' ');
}

/** A category's lists compiled once, at module load. */
export class CompiledCategory {
  private readonly alone: Lexicon;
  private readonly near: CompiledNear[];

  constructor(rules: CategoryRules) {
    this.alone = new Lexicon(rules.alone);
    this.near = rules.near.map((rule) => ({
      first: new Lexicon(rule.first),
      second: new Lexicon(rule.second),
      window: rule.window,
    }));
  }

  /** The first rule the reading breaks, or undefined. */
  match(tokens: PreparedReading): RuleMatch | undefined {
    const [alone] = this.alone.matches(tokens);
    if (alone !== undefined) return { phrases: [alone.phrase], tokens: [quote(tokens, alone)] };
    for (const rule of this.near) {
      const firsts = rule.first.matches(tokens);
      if (firsts.length === 0) continue;
      const seconds = rule.second.matches(tokens);
      for (const a of firsts) {
        const b = seconds.find((span) => spanDistance(a, span) <= rule.window);
        if (b !== undefined) return { phrases: [a.phrase, b.phrase], tokens: [quote(tokens, a), quote(tokens, b)] };
      }
    }
    return undefined;
  }
}

/**
 * Blanks out benign phrases ("bloody mary", "chicken breast", "nude lipstick") so their words cannot
 * take part in any match. Blanked tokens keep their place, so distances between the others do not change.
 */
export function maskBenign(reading: PreparedReading, benign: Lexicon): PreparedReading {
  return reading.blank(benign.matches(reading));
}
