import { parsePrompt } from '../../../../../src/engines/local-edit/prompt/parser.js';
import { refusalKind } from '../../../../../src/engines/local-edit/prompt/refusals.js';
import { resolvePlan } from '../../../../../src/engines/local-edit/resolve/resolve-plan.js';
import type { EngineRequest } from '../../../../../src/engines/engine.js';
import type { ImagingPool } from '../../../../../src/imaging/worker-pool.js';
import type { EditStep } from '../../../../../src/engines/local-edit/plan/edit-plan.js';
import type { Expectation, PromptCase } from './expect.js';
import { EDIT_PROMPTS } from './edit-prompts.js';
import { MULTI_PROMPTS } from './multi-prompts.js';
import { REFUSAL_PROMPTS } from './refusal-prompts.js';
import { TONE_PROMPTS } from './tone-prompts.js';
import { FRESH_PROMPTS } from './fresh-prompts.js';
import { FRESH_PROMPTS_2 } from './fresh-prompts-2.js';
import { COLOUR_TYPING_PROMPTS } from './colour-typing-prompts.js';
import { LOOK_PROMPTS } from './look-prompts.js';

/**
 * Judges the prompt set: each prompt is parsed (and, when a refusal is expected and parsing succeeds,
 * bound to a request with no mask and no detectors, where "needs a mask" refusals happen).
 *
 * - correct: the plan has the expected steps, or the refusal has the expected category;
 * - refused: a plan was expected but the prompt was refused (honest, but not understood);
 * - wrong: a different plan, a plan where a refusal was expected, or a refusal of the wrong kind.
 */

export const PROMPT_SET: readonly PromptCase[] = [
  ...TONE_PROMPTS,
  ...EDIT_PROMPTS,
  ...REFUSAL_PROMPTS,
  ...MULTI_PROMPTS,
  ...FRESH_PROMPTS,
  ...FRESH_PROMPTS_2,
  ...COLOUR_TYPING_PROMPTS,
  ...LOOK_PROMPTS,
];

export type Verdict = { outcome: 'correct' | 'refused' | 'wrong'; detail: string };

function matches(expected: unknown, actual: unknown): boolean {
  if (typeof expected === 'number') return typeof actual === 'number' && Math.abs(expected - actual) < 1e-6;
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => matches(e, actual[i]));
  }
  if (expected && typeof expected === 'object') {
    if (!actual || typeof actual !== 'object') return false;
    return Object.entries(expected).every(([key, value]) => matches(value, (actual as Record<string, unknown>)[key]));
  }
  return expected === actual;
}

function describe(steps: unknown[]): string {
  return JSON.stringify(
    steps.map((s) => Object.fromEntries(Object.entries(s as object).filter(([k]) => k !== 'clause' && k !== 'entry'))),
  );
}

const NO_LAYERS = {
  operation: 'edit',
  images: [{ data: Buffer.alloc(3), width: 1, height: 1, channels: 3 }],
  options: {},
  signal: new AbortController().signal,
} as unknown as Omit<EngineRequest, 'prompt'>;

/** A request with no layers never reaches the pool; one that did would be a bug here, so it throws. */
const NO_POOL = new Proxy(
  {},
  {
    get: () => {
      throw new Error('the prompt set must not reach the imaging pool');
    },
  },
) as ImagingPool;

export async function judge(prompt: string, expected: Expectation): Promise<Verdict> {
  let steps: EditStep[];
  try {
    const parsed = parsePrompt(prompt, {});
    steps = parsed.steps;
    if ('refusal' in expected) await resolvePlan(parsed, { ...NO_LAYERS, prompt } as EngineRequest, NO_POOL);
  } catch (error) {
    const kind = refusalKind(error);
    if (kind === null) throw error;
    if ('steps' in expected) return { outcome: 'refused', detail: `refused (${kind}): ${(error as Error).message}` };
    return kind === expected.refusal
      ? { outcome: 'correct', detail: kind }
      : { outcome: 'wrong', detail: `refused as ${kind}, expected ${expected.refusal}: ${(error as Error).message}` };
  }
  if ('refusal' in expected)
    return { outcome: 'wrong', detail: `understood as ${describe(steps)}, expected a ${expected.refusal} refusal` };
  return matches(expected.steps, steps)
    ? { outcome: 'correct', detail: '' }
    : { outcome: 'wrong', detail: `got ${describe(steps)}, expected ${JSON.stringify(expected.steps)}` };
}

export interface Tally {
  total: number;
  correct: number;
  refused: number;
  wrong: number;
  failures: Array<{ prompt: string } & Verdict>;
}

export async function judgeAll(cases: readonly PromptCase[] = PROMPT_SET): Promise<Tally> {
  const tally: Tally = { total: cases.length, correct: 0, refused: 0, wrong: 0, failures: [] };
  for (const [prompt, expected] of cases) {
    const verdict = await judge(prompt, expected);
    tally[verdict.outcome]++;
    if (verdict.outcome !== 'correct') tally.failures.push({ prompt, ...verdict });
  }
  return tally;
}
