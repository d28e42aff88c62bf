import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli } from '../helpers/cli.js';

const dataDir = mkdtempSync(join(tmpdir(), 'retouch-cli-errors-'));
const env = { RETOUCH_DATA_DIR: dataDir, RETOUCH_CONFIG: '' };
after(() => rmSync(dataDir, { recursive: true, force: true }));

/** One line on stderr, naming the command, and no stack frame. */
function assertOneClearLine(stderr: string): void {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, stderr);
  assert.match(lines[0], /^retouch \S+: /);
  assert.doesNotMatch(stderr, /^\s+at /m);
}

test('a malformed amount for an existing key is one clear line and exit 2', async () => {
  const created = await runCli(['keys', 'create', '--name', 'errors'], env);
  const id = /Created key (key_[0-9a-f]+)/.exec(created.stdout)![1];
  const bad = await runCli(['credits', 'add', id, 'abc'], env);
  assert.equal(bad.code, 2);
  assertOneClearLine(bad.stderr);
  assert.match(bad.stderr, /USD amount like 5 or 0\.04/);
  const badCreate = await runCli(['keys', 'create', '--credits', 'lots'], env);
  assert.equal(badCreate.code, 2);
  assertOneClearLine(badCreate.stderr);
});

test('an unexpected failure (the database cannot be opened) is one line and a non-zero exit', async () => {
  const notADir = join(dataDir, 'plain-file');
  writeFileSync(notADir, 'not a directory');
  const run = await runCli(['keys', 'list'], { ...env, RETOUCH_DATA_DIR: notADir });
  assert.equal(run.code, 1);
  assertOneClearLine(run.stderr);
});

test('every command prints money the same way', async () => {
  const created = await runCli(['keys', 'create', '--name', 'money', '--credits', '$35'], env);
  assert.match(created.stdout, /with \$35 of credits/);
  const id = /Created key (key_[0-9a-f]+)/.exec(created.stdout)![1];
  const listed = await runCli(['keys', 'list'], env);
  assert.match(listed.stdout, new RegExp(`${id}\\s+money\\s+rt_\\S+\\s+\\$35\\s`));
  const shown = await runCli(['credits', 'show', id], env);
  assert.match(shown.stdout, new RegExp(`${id}\\s+\\$35\\s+\\$0\\s+\\$35\\s+\\$0`));
});
