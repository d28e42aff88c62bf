import { ApiError } from '../errors.js';
import { BENIGN_PHRASES } from './lists/benign.js';
import { MINORS_RULES } from './lists/minors.js';
import { SEXUAL_RULES } from './lists/sexual.js';
import { VIOLENCE_RULES } from './lists/violence.js';
import { tokenReadings } from './normalize.js';
import { Lexicon, PreparedReading } from './patterns.js';
import { CompiledCategory, maskBenign, type RuleMatch } from './rules.js';

/**
 * The content policy: checks a prompt against the categories a model blocks, before any charge or engine
 * work. The categories are Venice's for qwen-edit: explicit sexual imagery, sexualised minors and
 * real-world violence. How the matching works and what it deliberately lets through is documented in
 * docs/content-policy.md; the word lists are in ./lists.
 */

export type PolicyCategory = 'sexual' | 'minors' | 'violence';

export type PolicyVerdict = { allowed: true } | { allowed: false; category: PolicyCategory; message: string };

export const POLICY_CATEGORIES: Record<PolicyCategory, { label: string; description: string }> = {
  sexual: {
    label: 'explicit sexual content',
    description: 'Nudity, sex acts, genitals and pornography.',
  },
  minors: {
    label: 'sexualised content involving minors',
    description: 'Any sexual or suggestive depiction of a person under 18.',
  },
  violence: {
    label: 'real-world violence',
    description: 'Gore, killings, massacres, terrorist attacks, executions, self-harm and graphic injury of real people.',
  },
};

export const POLICY_CATEGORY_NAMES = Object.keys(POLICY_CATEGORIES) as PolicyCategory[];

export function isPolicyCategory(value: string): value is PolicyCategory {
  return Object.hasOwn(POLICY_CATEGORIES, value);
}

/** Checked most severe first, so a prompt in two categories is reported under the graver one. */
const CATEGORY_ORDER: readonly PolicyCategory[] = ['minors', 'sexual', 'violence'];

const COMPILED: Record<PolicyCategory, CompiledCategory> = {
  sexual: new CompiledCategory(SEXUAL_RULES),
  minors: new CompiledCategory(MINORS_RULES),
  violence: new CompiledCategory(VIOLENCE_RULES),
};
const BENIGN = new Lexicon(BENIGN_PHRASES);

/** The message a client sees for a blocked prompt. */
function policyMessage(category: PolicyCategory): string {
  return `Your prompt was blocked by the content policy of this model: ${POLICY_CATEGORIES[category].label}`;
}

function readingsOf(prompt: string): PreparedReading[] {
  return tokenReadings(prompt).map((tokens) => maskBenign(new PreparedReading(tokens), BENIGN));
}

function toCategories(blockedCategories: readonly string[]): PolicyCategory[] {
  for (const name of blockedCategories) {
    // A misspelt category must not silently switch a filter off; config validation should catch it first.
    if (!isPolicyCategory(name)) throw new TypeError(`Unknown content-policy category "${name}"`);
  }
  return CATEGORY_ORDER.filter((category) => blockedCategories.includes(category));
}

/**
 * Checks a prompt against the categories a model blocks. Throws a TypeError for an unknown category name
 * (a configuration error, which `isPolicyCategory` lets config validation catch at start).
 *
 * @example
 * checkPrompt('remove the shot glass', ['sexual', 'minors', 'violence']) // { allowed: true }
 * checkPrompt('make her n.u.d.e', ['sexual'])
 * // { allowed: false, category: 'sexual',
 * //   message: 'Your prompt was blocked by the content policy of this model: explicit sexual content' }
 */
export function checkPrompt(prompt: string, blockedCategories: readonly string[]): PolicyVerdict {
  const categories = toCategories(blockedCategories);
  if (categories.length === 0) return { allowed: true };
  const readings = readingsOf(prompt);
  for (const category of categories) {
    if (readings.some((tokens) => COMPILED[category].match(tokens) !== undefined)) {
      return { allowed: false, category, message: policyMessage(category) };
    }
  }
  return { allowed: true };
}

/** One reason a prompt falls in a category, for logs and for tuning the lists (never sent to a client). */
export interface PolicyFinding extends RuleMatch {
  category: PolicyCategory;
}

/**
 * Every category a prompt falls in, with the phrases that matched, whatever a model blocks.
 *
 * @example explainPrompt('sexy schoolgirl') // [{ category: 'minors', phrases: [...], tokens: ['schoolgirl', 'sexy'] }]
 */
export function explainPrompt(prompt: string): PolicyFinding[] {
  const readings = readingsOf(prompt);
  const findings: PolicyFinding[] = [];
  for (const category of CATEGORY_ORDER) {
    for (const tokens of readings) {
      const match = COMPILED[category].match(tokens);
      if (match !== undefined) {
        findings.push({ category, ...match });
        break;
      }
    }
  }
  return findings;
}

/** Venice's message for a refused prompt, word for word: clients match on it. */
export const CONTENT_POLICY_MESSAGE = 'Your prompt violates the content policy of Venice.ai or the model provider';

/**
 * The error a route throws for a blocked prompt: Venice's 422 and message, the header Venice clients
 * read, and which category in `details` (Venice puts a plain string there on some image failures).
 * Nothing is charged: it is thrown before the reservation.
 *
 * @example const verdict = checkPrompt(prompt, model.blockedCategories); if (!verdict.allowed) throw contentViolationError(verdict);
 */
export function contentViolationError(verdict: Extract<PolicyVerdict, { allowed: false }>): ApiError {
  return new ApiError('CONTENT_VIOLATION', CONTENT_POLICY_MESSAGE, {
    body: { details: verdict.message },
    headers: { 'x-venice-is-content-violation': 'true' },
  });
}
