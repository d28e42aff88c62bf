import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ERROR_CODES, type ErrorCode } from '../../src/errors.js';
import { filesUnder } from './markdown-headings.js';

/**
 * docs/errors.md lists every code of the error registry with its status and a message the code really
 * sends, so that adding a code, changing its status or rewording its message cannot leave the reference
 * behind.
 */
interface Row {
  code: string;
  status: number;
  message: string;
}

function rows(): Row[] {
  const doc = readFileSync('docs/errors.md', 'utf8');
  const start = doc.indexOf('<!-- error-codes:start -->');
  const end = doc.indexOf('<!-- error-codes:end -->');
  assert.ok(start >= 0 && end > start, 'docs/errors.md has lost its error-codes markers');
  return doc
    .slice(start, end)
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const cells = line.split(' | ').map((cell) => cell.replace(/^\| ?|`/g, '').trim());
      return { code: cells[0], status: Number(cells[1]), message: cells[2] };
    });
}

test('docs/errors.md has one row per registry code, and no other', () => {
  const documented = rows().map((row) => row.code);
  assert.equal(new Set(documented).size, documented.length, 'a code has two rows');
  const registry = Object.keys(ERROR_CODES);
  for (const code of registry) assert.ok(documented.includes(code), `docs/errors.md has no row for ${code}`);
  for (const code of documented) assert.ok(registry.includes(code), `docs/errors.md documents ${code}, not in src/errors.ts`);
});

test("each row's status is the registry's", () => {
  for (const row of rows()) {
    assert.equal(row.status, ERROR_CODES[row.code as ErrorCode], `${row.code}: docs/errors.md says ${row.status}`);
  }
});

test("each row's message is one the server sends (its fixed parts appear in src/)", () => {
  const sources = filesUnder('src', (name) => name.endsWith('.ts'))
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');
  for (const row of rows()) {
    const fixedParts = row.message.split(/<[^>]+>/).filter((part) => part.trim().length >= 6);
    assert.ok(fixedParts.length > 0, `${row.code}: the message has no fixed text to check`);
    for (const part of fixedParts) assert.ok(sources.includes(part), `${row.code}: "${part}" is in no message of src/`);
  }
});
