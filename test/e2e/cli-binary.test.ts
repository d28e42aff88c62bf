import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { promisify } from 'node:util';

/**
 * The `retouch` binary as npx runs it, on the build that `npm test` has just made: the build must leave the
 * entry executable (a plain `tsc` writes it 0644, and npx then answers `sh: 1: retouch: Permission denied`).
 *
 * The test executes the file that package.json's `bin` names, as npx does once it has resolved the name. It
 * does not call npx itself: with an empty npx cache (every CI run), npx installs the project into that cache
 * first, which runs `prepare`, which rebuilds `dist/` while the other test files are being loaded from it.
 */
const compiled = !import.meta.url.endsWith('.ts');
const root = fileURLToPath(new URL(compiled ? '../../../' : '../../', import.meta.url));

test('the build leaves the bin entry (dist/src/cli/main.js) executable, and running it as `retouch help` works', {
  skip: !compiled && 'runs on the compiled suite only',
}, async () => {
  const manifest = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { bin: Record<string, string> };
  const entry = `${root}${manifest.bin.retouch}`;
  assert.equal(entry, fileURLToPath(new URL('../../src/cli/main.js', import.meta.url)));
  assert.ok((statSync(entry).mode & 0o111) !== 0, 'dist/src/cli/main.js has an executable bit');
  // Executed as a program, so the kernel reads the shebang line, exactly as npx's shell does.
  const { stdout } = await promisify(execFile)(entry, ['help'], { cwd: root, timeout: 60_000 });
  assert.match(stdout, /usage: retouch <command>/);
});
