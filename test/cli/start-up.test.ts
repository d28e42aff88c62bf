import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cliCommand } from '../helpers/cli.js';

/**
 * `retouch --help` and the account commands start without loading what `serve` needs: the engines,
 * onnxruntime-node, TensorFlow.js and sharp take seconds to load from a cold disk. The test records every
 * module the CLI process resolves (rather than timing it, which a busy machine would make flaky).
 */

const dir = mkdtempSync(join(tmpdir(), 'retouch-start-up-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** What a command must not load: the app, the engines and the packages of the image work. */
const HEAVY = [
  /\/node_modules\/onnxruntime-node\//,
  /\/node_modules\/@tensorflow\//,
  /\/node_modules\/sharp\//,
  /\/node_modules\/fastify\//,
  /\/src\/engines\//,
  /\/src\/app\.[jt]s$/,
];

let runs = 0;

/** Runs the CLI with the import recorder preloaded; returns its output and the modules it resolved. */
async function loadedBy(args: string[]): Promise<{ code: number | null; stdout: string; modules: string[] }> {
  const { command, args: base } = cliCommand();
  const record = join(dir, `imports-${++runs}.txt`);
  const recorder = new URL(`../helpers/record-imports.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url);
  const env: NodeJS.ProcessEnv = { ...process.env, RETOUCH_RECORD_IMPORTS: record, RETOUCH_DATA_DIR: join(dir, 'data') };
  delete env.RETOUCH_DATABASE_URL; // the SQLite file in the data directory
  const child = spawn(command, ['--import', recorder.href, ...base, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  const code = await new Promise<number | null>((done, fail) => {
    child.on('error', fail);
    child.on('close', done);
  });
  return { code, stdout, modules: readFileSync(record, 'utf8').split('\n').filter(Boolean) };
}

function heavyIn(modules: string[]): string[] {
  return modules.filter((url) => HEAVY.some((pattern) => pattern.test(url)));
}

test('`retouch --help` loads no more than the entry and its output helpers', async () => {
  const { code, stdout, modules } = await loadedBy(['--help']);
  assert.equal(code, 0);
  assert.match(stdout, /usage: retouch <command>/);
  assert.deepEqual(heavyIn(modules), []);
  assert.ok(
    modules.some((url) => /\/src\/cli\/main\.[jt]s$/.test(url)),
    'the recorder saw the entry',
  );
  assert.ok(!modules.some((url) => /\/src\/config\//.test(url)), 'not even the configuration');
});

test('the account commands load the store, not the engines', async () => {
  const created = await loadedBy(['keys', 'create', '--name', 'start-up', '--credits', '1']);
  assert.equal(created.code, 0);
  assert.deepEqual(heavyIn(created.modules), []);
  assert.ok(
    created.modules.some((url) => /\/src\/storage\/sqlite-store\.[jt]s$/.test(url)),
    'the recorder saw the store',
  );
  const listed = await loadedBy(['keys', 'list']);
  assert.equal(listed.code, 0);
  assert.match(listed.stdout, /start-up/);
  assert.deepEqual(heavyIn(listed.modules), []);
});

test('serve and remove-bg still load what they need (the recorder sees heavy modules when they are loaded)', async () => {
  // remove-bg with no input is a usage error, after its module (and the segmentation engine) loaded.
  const { code, modules } = await loadedBy(['remove-bg']);
  assert.equal(code, 2);
  assert.ok(heavyIn(modules).length > 0, 'remove-bg loads the segmentation engine');
});
