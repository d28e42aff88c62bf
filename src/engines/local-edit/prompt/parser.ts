import { readStuff } from '../tools/stuff-regions.js';
import { ApiError } from '../../../errors.js';
import { ClauseRefusal } from '../vocabulary/pattern-entry.js';
import { KEEP_VERB, constraintItem } from './constraints.js';
import { OBJECT, readTarget } from '../vocabulary/grammar.js';
import { parseOverlayModifiers } from '../vocabulary/overlay-words.js';
import type { Constraint, EditPlan, EditStep } from '../plan/edit-plan.js';
import { extractModifiers, normalizePrompt, rewriteSentence, splitClauses, splitSentences, stripFiller } from './prompt-text.js';
import { VOCABULARY } from '../vocabulary/table.js';
import type { ModifierKind, StepBody } from '../vocabulary/entry-types.js';
import { nearestInstructions } from './suggestions.js';
import { rewriteComplaint } from './complaints.js';
import { protectQuoted, restoreText } from './quoted-text.js';
import { needsGenerative, refuse, type ParseOptions } from './refusals.js';
import { correctSpelling } from './spelling.js';
import { isChatter, shareVerb, stripChatter } from './chatter.js';

/**
 * The deterministic prompt parser: sentences, then an optional "while preserving ..." tail, then clauses
 * joined by commas, "and", "then". Every clause must map to one vocabulary entry; a clause that does not
 * makes the whole request a 400 that quotes it, so no part of a prompt is ever silently ignored.
 */

const KNOWN = [...new Set(VOCABULARY.map((e) => e.instruction.replace(/ \(.*\)$/, '').toLowerCase()))].join(', ');

/**
 * No instruction of the vocabulary is anywhere near this long; longer clauses are refused before any
 * pattern runs, so a 32,768-character prompt costs no more than a short one.
 */
const MAX_CLAUSE_CHARS = 160;

function notUnderstood(clause: string): ApiError {
  const nearest = nearestInstructions(clause, VOCABULARY).map((e) => `"${e}"`);
  const hint = nearest.length > 0 ? ` Instructions it knows about the same thing: ${nearest.join(', ')}` : '';
  return refuse(
    'not-understood',
    clause,
    `the local-edit engine did not understand it.${hint} ` +
      '(every instruction, with examples, is listed under model_spec.vocabulary in GET /models)',
  );
}

/** Matches one clause (amounts already extracted) against the vocabulary. */
function matchClause(clause: string, options: ParseOptions = {}): { body: StepBody; entry: string } | null {
  if (clause.length > MAX_CLAUSE_CHARS) return null;
  const { text, modifiers } = extractModifiers(rewriteComplaint(clause));
  if (text === '') return null;
  for (const entry of VOCABULARY) {
    let found: ReturnType<(typeof VOCABULARY)[number]['match']>;
    try {
      found = entry.match(text, modifiers);
    } catch (error) {
      if (error instanceof ClauseRefusal) {
        throw error.kind === 'needs-generative-model'
          ? needsGenerative(clause, error.message, options)
          : refuse('unsupported', clause, error.message);
      }
      throw error;
    }
    if (!found) continue;
    const unused = (Object.keys(modifiers) as ModifierKind[]).filter((k) => !found.uses.includes(k));
    if (unused.length > 0) {
      throw refuse('unsupported', clause, `the ${unused.map(describeModifier).join(' and ')} does not apply to this instruction`);
    }
    return { body: found.step, entry: entry.id };
  }
  return null;
}

function describeModifier(kind: ModifierKind): string {
  return {
    percent: 'percentage',
    pixels: 'pixel size',
    levels: 'number of levels',
    intensity: 'strength word',
    stops: 'number of stops',
    factor: 'scale factor',
  }[kind];
}

/** Whether a clause matches an entry (a refusal counts: it was recognised). */
function understood(clause: string): boolean {
  try {
    return matchClause(clause) !== null;
  } catch {
    return true;
  }
}

function isInstruction(text: string): boolean {
  try {
    return matchClause(stripFiller(text)) !== null;
  } catch {
    return true;
  }
}

const DETERMINER = /^(?:the|his|her|their|its|my|our|your|all|any|every|this|that|these|those)\b/;

/**
 * Splits "X while preserving A, B, and C" into the instruction "X" and the constraint [A, B, C]. Items
 * after the first that read as instructions ("keep the face sharp and blur the background") end the tail.
 */
function splitConstraint(sentence: string): { instruction: string; constraint: Constraint | null } {
  const found = KEEP_VERB.exec(sentence);
  if (!found) return { instruction: sentence, constraint: null };
  const before = sentence.slice(0, found.index);
  const pieces = sentence.slice(found.index + found[0].length).split(/\s*,\s*(?:and\s+)?|\s+(?:and|or|as well as)\s+/);
  const items: string[] = [];
  let i = 0;
  for (; i < pieces.length; i++) {
    const piece = pieces[i].trim();
    if (i > 0 && !DETERMINER.test(piece) && isInstruction(piece)) break;
    const item = constraintItem(piece);
    if (item) items.push(item);
  }
  const after = pieces.slice(i).join(', ');
  return {
    instruction: [before, after].filter((s) => s.trim()).join(', '),
    constraint:
      items.length > 0 ? { clause: `${found[0].trim()} ${pieces.slice(0, i).join(', ')}`.replace(/\s+/g, ' '), items } : null,
  };
}

const IS_OBJECT = new RegExp(`^${OBJECT}$`);
const FIX_THAT =
  /^(?:please )?(?:(?:fix|correct|sort out|sort|do something about|deal with|help with|improve)(?: (?:it|that|this|them|those))?|tone (?:it|that|this|them|those) down)(?: for me)?(?: please)?$/;

/** Two steps that are the same edit of the same region (amounts aside). */
function repeats(previous: EditStep | undefined, step: EditStep): boolean {
  if (!previous || previous.op !== step.op) return false;
  if (step.op === 'straighten') return true;
  if (step.op !== 'tone' || previous.op !== 'tone') return false;
  const range = (s: typeof step) => (s.tone.kind === 'tonal-range' ? s.tone.range : '');
  return (
    previous.tone.kind === step.tone.kind &&
    range(previous) === range(step) &&
    JSON.stringify(previous.target) === JSON.stringify(step.target)
  );
}

/**
 * A clause that only makes sense after the previous one: more position/size words for an overlay or text
 * ("add the logo, small"). Returns true when it was absorbed.
 */
function continues(previous: EditStep | undefined, clause: string): boolean {
  if (!previous || clause.length > MAX_CLAUSE_CHARS) return false;
  if (previous.op === 'overlay' || previous.op === 'text') {
    const words = parseOverlayModifiers(clause);
    if (!words) return false;
    if ((words.anchor && previous.anchor) || (words.widthFraction && previous.widthFraction)) return false;
    Object.assign(previous, { ...words, clause: `${previous.clause}, ${clause}` });
    return true;
  }
  return false;
}

/**
 * Another thing for the same edit ("blur the faces and the license plate"): a step of its own with that
 * thing as its target, so each is looked for by name. Null when the clause is not just a thing's name.
 */
function sameEditOn(previous: EditStep | undefined, clause: string): EditStep | null {
  if (!previous || clause.length > MAX_CLAUSE_CHARS) return null;
  const regional = previous.op === 'inpaint' || previous.op === 'fill' || previous.op === 'tone' || previous.op === 'recolour';
  if (!regional || previous.target.kind !== 'object') return null;
  if (!IS_OBJECT.test(clause) || !/^(?:the|a|an|his|her|their|its|my|all)\b/.test(clause)) return null;
  const target = readTarget(clause);
  return target ? ({ ...previous, target, clause } as EditStep) : null;
}

/**
 * Parses a prompt into an edit plan, or throws ApiError UNSUPPORTED_INSTRUCTION quoting what it could
 * not understand.
 *
 * @example
 * parsePrompt('Make it B&W, then rotate 90° clockwise').steps.map((s) => s.op) // ['tone', 'rotate']
 */
export function parsePrompt(prompt: string, options: ParseOptions = {}): EditPlan {
  const steps: EditStep[] = [];
  const constraints: Constraint[] = [];
  const { text: protectedPrompt, literals } = protectQuoted(prompt);
  const complaints = new WeakSet<EditStep>();
  for (const typed of splitSentences(normalizePrompt(protectedPrompt))) {
    // Typos corrected; greetings and thanks carry no instruction (prompt/spelling.ts, prompt/chatter.ts).
    const sentence = correctSpelling(typed);
    if (isChatter(sentence)) continue;
    const { instruction, constraint } = splitConstraint(rewriteSentence(sentence));
    if (constraint) constraints.push(constraint);
    const clauses = splitClauses(instruction).map(stripChatter);
    // The clauses as typed, to quote the person's own words when one is not understood.
    const asTyped =
      sentence === typed ? [...clauses] : splitClauses(splitConstraint(rewriteSentence(typed)).instruction).map(stripChatter);
    for (let k = 0; k < clauses.length; k++) {
      const clause = clauses[k];
      if (isChatter(clause)) continue;
      // "make the grass and bushes greener": split at "and", the verb and the ending are shared.
      const shared = k + 1 < clauses.length && !understood(clause) ? shareVerb(clause, clauses[k + 1], understood) : null;
      if (shared) {
        clauses.splice(k, 2, ...shared);
        asTyped.splice(k, 2, ...shared);
        k--;
        continue;
      }
      // "It's a little too dark, can you fix that?": the fix is the remedy already planned.
      if (steps.length > 0 && FIX_THAT.test(clause)) continue;
      const matched = matchClause(clause, options);
      if (matched) {
        const step = { ...matched.body, clause, entry: matched.entry } as EditStep;
        // "It's too dark, brighten it": the complaint and the instruction are one edit; the instruction says it.
        const previous = steps[steps.length - 1];
        if (previous && complaints.has(previous) && repeats(previous, step)) steps.pop();
        if (rewriteComplaint(clause) !== clause) complaints.add(step);
        steps.push(step);
        continue;
      }
      const again = sameEditOn(steps[steps.length - 1], clause);
      if (again) steps.push(again);
      else if (!continues(steps[steps.length - 1], clause))
        throw notUnderstood(asTyped.length === clauses.length ? (asTyped[k] ?? clause) : clause);
    }
  }
  if (steps.length === 0) {
    throw new ApiError(
      'UNSUPPORTED_INSTRUCTION',
      `The prompt has no edit instruction the local-edit engine understands. It understands: ${KNOWN}.`,
      { body: { refusal: 'not-understood', clause: prompt.slice(0, 100) } },
    );
  }
  for (const step of steps) if (step.op === 'text') step.text = restoreText(step.text, literals, prompt);
  return { steps: joinStuff(steps), constraints };
}

/**
 * "make the grass and bushes greener": one edit on two kinds of stuff is one step on both, so the stuff
 * finder joins what it finds of each and refuses only when there is neither (a street with hedges and no
 * lawn still gets its greens). Things ("the faces and the licence plate") stay a step each: each is
 * looked for, and missed, by name.
 */
function joinStuff(steps: EditStep[]): EditStep[] {
  const joined: EditStep[] = [];
  for (const step of steps) {
    const previous = joined[joined.length - 1];
    const phrase = stuffPhrase(step);
    const before = previous && stuffPhrase(previous);
    if (phrase && before && sameEdit(previous, step)) {
      joined[joined.length - 1] = {
        ...previous,
        target: { kind: 'object', phrase: `${before} and ${phrase}` },
        clause: `${previous.clause}, ${step.clause}`,
      } as EditStep;
    } else joined.push(step);
  }
  return joined;
}

function stuffPhrase(step: EditStep): string | null {
  if (!('target' in step) || step.target.kind !== 'object') return null;
  return readStuff(step.target.phrase) ? step.target.phrase : null;
}

/** The same edit, whatever it is on. */
function sameEdit(a: EditStep, b: EditStep): boolean {
  const { target: _a, clause: _ca, ...restA } = a as EditStep & { target: unknown };
  const { target: _b, clause: _cb, ...restB } = b as EditStep & { target: unknown };
  return JSON.stringify(restA) === JSON.stringify(restB);
}
