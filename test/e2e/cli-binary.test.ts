import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { promisify } from 'node:util';

/**
 * The `retouch` binary as a user runs it, through npx, on the build that `npm test` has just made: the
 * build must leave the entry executable (a plain `tsc` writes it 0644, and npx then answers
 * `sh: 1: retouch: Permission denied`).
 */
const compiled = !import.meta.url.endsWith('.ts');
const root = fileURLToPath(new URL(compiled ? '../../../' : '../../', import.meta.url));

test('the build leaves dist/src/cli/main.js executable, and `npx retouch help` runs', {
  skip: !compiled && 'runs on the compiled suite only',
}, async () => {
  const entry = new URL('../../src/cli/main.js', import.meta.url);
  assert.ok((statSync(entry).mode & 0o111) !== 0, 'dist/src/cli/main.js has an executable bit');
  const { stdout } = await promisify(execFile)('npx', ['--no-install', 'retouch', 'help'], { cwd: root, timeout: 60_000 });
  assert.match(stdout, /usage: retouch <command>/);
});
