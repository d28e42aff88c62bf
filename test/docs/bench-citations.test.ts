import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { anchorsOf, filesUnder } from './markdown-headings.js';

/**
 * Code comments justify settings with measurements: "bench/inpaint/NOTES.md#crop-strategy-at-12-mp". Each
 * such citation must name a file that exists and, for a benchmark notebook, a heading in it, so that a
 * renamed section or a moved notebook fails here instead of leaving the reader with a dead pointer.
 */
const CITATION = /\bbench\/[\w./-]+\.md(?:#[\w-]+)?/g;

function citations(): { file: string; cited: string }[] {
  const sources = ['src', 'test', 'bench'].flatMap((dir) => filesUnder(dir, (name) => name.endsWith('.ts')));
  return sources.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(CITATION)].map((m) => ({ file, cited: m[0] })));
}

test('the code cites benchmark notes', () => {
  assert.ok(
    citations().filter((c) => c.cited.includes('NOTES.md#')).length >= 15,
    'fewer citations than expected: is the pattern right?',
  );
});

test('every benchmark citation in the code names an existing file and heading', () => {
  for (const { file, cited } of citations()) {
    const [target, anchor] = cited.split('#');
    assert.ok(existsSync(target), `${file} cites ${cited}: no such file`);
    if (target.endsWith('NOTES.md')) assert.ok(anchor, `${file} cites ${cited} without a heading (#...)`);
    if (anchor) assert.ok(anchorsOf(target).has(anchor), `${file} cites ${cited}: ${target} has no heading #${anchor}`);
  }
});
