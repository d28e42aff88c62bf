import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROMPT_SET, judgeAll } from './prompt-set/judge.js';

/**
 * The prompt set (test/engines/local-edit/prompt/prompt-set/): realistic prompts with the plan or the refusal
 * each must get. None may be misunderstood; the share understood may only go up (raise the floor when
 * it does). bench/prompts/run.ts prints the same shares for bench/prompts/NOTES.md#prompt-set.
 */

const UNDERSTOOD_FLOOR = 0.97;

test('the prompt set has at least 300 distinct prompts', () => {
  assert.ok(PROMPT_SET.length >= 300, `only ${PROMPT_SET.length} prompts`);
  assert.equal(new Set(PROMPT_SET.map(([p]) => p)).size, PROMPT_SET.length, 'a prompt is listed twice');
});

test('no prompt of the set is misunderstood, and nearly all are understood', async (t) => {
  const tally = await judgeAll();
  const share = (n: number) => `${((100 * n) / tally.total).toFixed(1)}%`;
  t.diagnostic(
    `${tally.total} prompts: ${share(tally.correct)} correct, ${share(tally.wrong)} wrongly understood, ${share(tally.refused)} refused`,
  );
  const wrong = tally.failures.filter((f) => f.outcome === 'wrong');
  assert.deepEqual(
    wrong.map((f) => `${f.prompt}: ${f.detail}`),
    [],
  );
  assert.ok(tally.correct / tally.total >= UNDERSTOOD_FLOOR, tally.failures.map((f) => `${f.prompt}: ${f.detail}`).join('\n'));
});
