import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { VOCABULARY, describeVocabulary, vocabularyMarkdown } from '../../../../src/engines/local-edit/vocabulary/table.js';

test('docs/local-edit.md holds exactly the vocabulary the parser uses', () => {
  const doc = readFileSync(path.resolve('docs/local-edit.md'), 'utf8');
  const start = doc.indexOf('<!-- vocabulary:start');
  const end = doc.indexOf('<!-- vocabulary:end -->');
  assert.ok(start >= 0 && end > start, 'the vocabulary markers are missing');
  const table = doc.slice(doc.indexOf('\n', start) + 1, end).trim();
  assert.equal(table, vocabularyMarkdown(), 'regenerate the table with vocabularyMarkdown()');
});

test('GET /models publishes one row per vocabulary entry, plus the keep/preserve constraint', () => {
  const { vocabulary } = describeVocabulary();
  assert.equal(vocabulary.length, VOCABULARY.length + 1);
  assert.deepEqual(
    vocabulary.slice(0, -1).map((row) => row.instruction),
    VOCABULARY.map((entry) => entry.instruction),
  );
});
