import type { ToneOp } from '../../../imaging/tone.js';
import { ALL, BACKGROUND, MASKED, OBJECT, SUBJECT, alternatives, anchored, readTarget, splitWhere } from './grammar.js';
import type { Target } from '../plan/edit-plan.js';
import type { ModifierKind, Modifiers, VocabularyEntry } from './entry-types.js';

/**
 * Builds a tone entry of the vocabulary from its words: verbs ("blur"), adjectives ("blurry") and nouns
 * ("gaussian blur"), which are combined into the usual sentence shapes:
 *   blur the background            | make the background blurry     | blurry background
 *   the background in sepia        | add a vignette                 | apply a sepia filter to the photo
 *   give me a black and white version of it
 * each optionally followed by a named region: "... in the masked area", "... only on the background".
 */

export interface ToneSpec {
  id: string;
  instruction: string;
  examples: string[];
  description: string;
  verbs?: string[];
  adjectives?: string[];
  nouns?: string[];
  /** Whole-clause forms for wordings that fit no shape; may capture `target`. */
  extra?: string[];
  /** The region this wording always means (e.g. "portrait mode" = the background). */
  fixedTarget?: Target;
  /** Only ever applied to a region (redaction); a request with no mask and no named region is refused. */
  regionOnly?: boolean;
  build(modifiers: Modifiers): { tone: ToneOp; strength?: number; uses: ModifierKind[] };
}

const target = (name: string) => `(?<${name}>${ALL}|${BACKGROUND}|${SUBJECT}|${MASKED}|${OBJECT})`;
const REGION = (name: string) => `(?<${name}>${ALL}|${BACKGROUND}|${SUBJECT}|${MASKED})`;
const MAKE = '(?:make|turn|render|set|get|convert|change|transform|switch|put|have|leave)';
const LOOK =
  '(?: (?:to|into|in|look|looks|feel|feels|appear|be|as|seem|so it is|so it looks|so that it is|so that it looks))?(?: like)?';
const SUFFIX = '(?: (?:effect|filter|look|style|tone|tones|mode|version|finish|feel|vibe|aesthetic|treatment|colors|color))?';
const NOUN_SUFFIX = ' (?:effect|filter|look|style|tone|tones|finish|feel|vibe|aesthetic|treatment)';
const PREP = '(?: (?:from|of|on|in|to|for|across|over|onto|at))?';
const MORE = '(?:(?:a lot |even |much )?more )?';

function forms(spec: ToneSpec): RegExp[] {
  const out: string[] = [];
  const V = spec.verbs?.length ? alternatives(spec.verbs) : null;
  const X = spec.adjectives?.length ? alternatives(spec.adjectives) : null;
  const N = spec.nouns?.length ? alternatives(spec.nouns) : null;
  // Nouns first, so that "mosaic effect" is the noun, not the verb "mosaic" applied to "effect".
  if (N) out.push(`(?:${N})(?: (?:to|on|for|of|in|onto|over) ${target('target')})?`);
  if (V) out.push(`${V}${PREP}(?: ${target('target')})?`);
  if (X) {
    out.push(`${MAKE}(?: ${target('target')})?${LOOK}(?: an?)? ${MORE}${X}${SUFFIX}`);
    out.push(`(?:an? )?${MORE}${X}${SUFFIX}(?: ${target('target')})?`);
    // Only named regions before the adjective: a free-form thing there would swallow any verb ("give it a").
    out.push(
      `${REGION('target')} (?:in |to |into |is |are |looks |look |more |(?:to )?(?:look|looks|be|appear|seem)(?: like)? |to look a )?${MORE}${X}${SUFFIX}`,
    );
    out.push(
      `(?:give me |create |make |produce |i want |output |return |generate )?an? ${MORE}${X} (?:version|copy|edit|rendition|variant|image|photo|picture)(?: of ${target('target')})?`,
    );
  }
  const thing = [N, X && `${MORE}${X}${NOUN_SUFFIX}`].filter(Boolean).join('|');
  if (thing) {
    out.push(
      `(?:apply|add|use|give|put|create|do|introduce|include|with)(?: ${REGION('target')})?(?: an?| the| some)? (?:${thing})(?: (?:to|on|onto|over|for|in|across|of) ${target('onto')})?`,
    );
  }
  out.push(...(spec.extra ?? []));
  return out.map((source) => anchored(source));
}

/**
 * @example
 * toneEntry({ id: 'sepia', instruction: 'Sepia', examples: ['make it sepia'], description: '...',
 *   adjectives: ['sepia'], build: () => ({ tone: { kind: 'sepia' }, uses: [] }) });
 */
export function toneEntry(spec: ToneSpec): VocabularyEntry {
  const compiled = forms(spec);
  return {
    id: spec.id,
    group: 'tone',
    instruction: spec.instruction,
    examples: spec.examples,
    description: spec.description,
    match(clause, modifiers) {
      const whole = matchForms(compiled, clause);
      const split = whole ? null : splitWhere(clause);
      const groups = whole ?? (split && matchForms(compiled, split.text));
      // A wording with a fixed region ("portrait mode") takes no other region.
      if (!groups || (spec.fixedTarget && split)) return null;
      const named = groups.onto ? readTarget(groups.onto) : readTarget(groups.target);
      const where = spec.fixedTarget ?? (split ? readTarget(split.where) : named);
      if (!where || !named) return null;
      const built = spec.build(modifiers);
      return {
        step: {
          op: 'tone',
          tone: built.tone,
          target: where,
          strength: built.strength ?? 1,
          ...(spec.regionOnly ? { regionOnly: true } : {}),
        },
        uses: built.uses,
      };
    },
  };
}

/** The named groups of the first form that matches with a readable target, or null. */
function matchForms(forms: RegExp[], clause: string): Record<string, string | undefined> | null {
  for (const form of forms) {
    const found = form.exec(clause);
    if (!found) continue;
    const groups = found.groups ?? {};
    if (readTarget(groups.onto) && readTarget(groups.target)) return groups;
  }
  return null;
}

/** A factor above 1 from "by 20%" or the intensity words: `base` is the default step ("20% brighter"). */
export function upFactor(modifiers: Modifiers, base: number): number {
  if (modifiers.percent !== undefined) return 1 + modifiers.percent / 100;
  return 1 + base * (modifiers.intensity ?? 1);
}

/** A factor below 1, never reaching 0. */
export function downFactor(modifiers: Modifiers, base: number): number {
  const drop = modifiers.percent !== undefined ? modifiers.percent / 100 : base * (modifiers.intensity ?? 1);
  return Math.max(0.05, 1 - drop);
}

/** Effects with no amount ("sepia") take "slightly" as a half-strength mix with the original. */
export function partial(modifiers: Modifiers): number {
  return Math.min(1, modifiers.intensity ?? 1);
}
