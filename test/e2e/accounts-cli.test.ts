import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli } from '../helpers/cli.js';

const dataDir = mkdtempSync(join(tmpdir(), 'retouch-cli-'));
const env = { RETOUCH_DATA_DIR: dataDir, RETOUCH_CONFIG: '' };
after(() => rmSync(dataDir, { recursive: true, force: true }));

test('keys, credits and usage commands work on the configured database', async () => {
  const created = await runCli(['keys', 'create', '--name', 'ci', '--credits', '2.5'], env);
  assert.equal(created.code, 0, created.stderr);
  const lines = created.stdout.trim().split('\n');
  const key = lines.at(-1)!;
  assert.match(key, /^rt_[A-Za-z0-9_-]{43}$/, 'the key is the last line of the output');
  const id = /Created key (key_[0-9a-f]+)/.exec(created.stdout)![1];

  const listed = await runCli(['keys', 'list'], env);
  assert.match(listed.stdout, new RegExp(`${id}\\s+ci\\s+rt_\\S+\\s+\\$2\\.5\\s`));
  assert.doesNotMatch(listed.stdout, new RegExp(key), 'the secret is never shown again');

  const added = await runCli(['credits', 'add', id, '0.75'], env);
  assert.equal(added.code, 0, added.stderr);
  assert.match(added.stdout, /balance \$3.25/);
  const shown = await runCli(['credits', 'show', id], env);
  assert.match(shown.stdout, /\$3\.25\s+\$0\s+\$3\.25\s+\$0/, 'money is written one way: $ and digits');

  const usage = await runCli(['usage', '--key', id, '--json'], env);
  assert.deepEqual(JSON.parse(usage.stdout), []);

  const account = /in a new account (acct_[0-9a-f]+) with \$2\.5 of credits/.exec(created.stdout)![1];
  const admin = await runCli(['keys', 'create', '--type', 'admin', '--account', account, '--name', 'ops'], env);
  assert.equal(admin.code, 0, admin.stderr);
  assert.match(admin.stdout, new RegExp(`\\(ops, ADMIN\\) in account ${account}, which holds \\$3\\.25`));
  assert.match(admin.stdout.trim().split('\n').at(-1)!, /^rt_[A-Za-z0-9_-]{43}$/, 'the secret is the last line');
  const limited = await runCli(['keys', 'create', '--account', account, '--limit-usd', '5', '--limit-period', 'month'], env);
  assert.equal(limited.code, 0, limited.stderr);
  assert.match((await runCli(['keys', 'list', '--account', account], env)).stdout, /INFERENCE\s+acct_\S+\s+\$5\/MONTH/);
  const accounts = await runCli(['accounts', 'list'], env);
  assert.match(accounts.stdout, new RegExp(`${account}\\s+ci\\s+\\$3\\.25\\s+\\$0\\s+3\\s`));
  assert.equal((await runCli(['keys', 'create', '--type', 'root'], env)).code, 2);

  const revoked = await runCli(['keys', 'revoke', id], env);
  assert.equal(revoked.code, 0);
  assert.match((await runCli(['keys', 'list'], env)).stdout, /revoked/);
});

test('bad CLI input is a clear message and exit code 2', async () => {
  const badAmount = await runCli(['credits', 'add', 'key_nope', 'ten'], env);
  assert.equal(badAmount.code, 2);
  assert.match(badAmount.stderr, /no key with id key_nope/);
  const unknown = await runCli(['frobnicate'], env);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /usage: retouch/);
  const badDate = await runCli(['usage', '--since', 'yesterday-ish'], env);
  assert.equal(badDate.code, 2);
});
