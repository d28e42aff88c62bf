/**
 * Prompt-set understanding: how many of the realistic prompts in test/engines/local-edit/prompt/prompt-set/
 * local-edit understands correctly, understands wrongly (must be 0) or refuses, overall and per part of
 * the set, and how long parsing takes (median of 5 passes over the whole set).
 *
 *   npm run bench:prompts            # or: node --import tsx bench/prompts/run.ts [--list]
 */
import { performance } from 'node:perf_hooks';
import { parsePrompt } from '../../src/engines/local-edit/prompt/parser.js';
import { judgeAll } from '../../test/engines/local-edit/prompt/prompt-set/judge.js';
import { EDIT_PROMPTS } from '../../test/engines/local-edit/prompt/prompt-set/edit-prompts.js';
import { FRESH_PROMPTS } from '../../test/engines/local-edit/prompt/prompt-set/fresh-prompts.js';
import { FRESH_PROMPTS_2 } from '../../test/engines/local-edit/prompt/prompt-set/fresh-prompts-2.js';
import { COLOUR_TYPING_PROMPTS } from '../../test/engines/local-edit/prompt/prompt-set/colour-typing-prompts.js';
import { LOOK_PROMPTS } from '../../test/engines/local-edit/prompt/prompt-set/look-prompts.js';
import { MULTI_PROMPTS } from '../../test/engines/local-edit/prompt/prompt-set/multi-prompts.js';
import { REFUSAL_PROMPTS } from '../../test/engines/local-edit/prompt/prompt-set/refusal-prompts.js';
import { TONE_PROMPTS } from '../../test/engines/local-edit/prompt/prompt-set/tone-prompts.js';

const PARTS = {
  'tone and colour': TONE_PROMPTS,
  'geometry, backgrounds, things, text': EDIT_PROMPTS,
  'must be refused': REFUSAL_PROMPTS,
  'several instructions / long-winded': MULTI_PROMPTS,
  'written after tuning': FRESH_PROMPTS,
  'written after tuning, second batch': FRESH_PROMPTS_2,
  'round 2: colour, typos, chatter': COLOUR_TYPING_PROMPTS,
  'looks (no generative model)': LOOK_PROMPTS,
};

const pct = (n: number, total: number) => `${((100 * n) / total).toFixed(1)}%`.padStart(6);

async function main(): Promise<void> {
  const list = process.argv.includes('--list');
  console.log('part                                   prompts  correct  wrong  refused');
  let all = { total: 0, correct: 0, wrong: 0, refused: 0 };
  for (const [name, cases] of Object.entries(PARTS)) {
    const t = await judgeAll(cases);
    all = {
      total: all.total + t.total,
      correct: all.correct + t.correct,
      wrong: all.wrong + t.wrong,
      refused: all.refused + t.refused,
    };
    console.log(
      `${name.padEnd(38)} ${String(t.total).padStart(7)}  ${pct(t.correct, t.total)}  ${pct(t.wrong, t.total)}  ${pct(t.refused, t.total)}`,
    );
    if (list) for (const f of t.failures) console.log(`   ${f.outcome}: "${f.prompt}" ${f.detail.slice(0, 160)}`);
  }
  console.log(
    `${'all'.padEnd(38)} ${String(all.total).padStart(7)}  ${pct(all.correct, all.total)}  ${pct(all.wrong, all.total)}  ${pct(all.refused, all.total)}`,
  );

  const prompts = Object.values(PARTS)
    .flat()
    .map(([p]) => p);
  const passes: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    for (const prompt of prompts) {
      try {
        parsePrompt(prompt);
      } catch {
        // refusals are part of the work measured
      }
    }
    passes.push((performance.now() - start) / prompts.length);
  }
  passes.sort((a, b) => a - b);
  console.log(`parse time per prompt: median ${(passes[2] * 1000).toFixed(0)} µs (5 passes over ${prompts.length} prompts)`);
  if (all.wrong > 0) process.exitCode = 1;
}

await main();
