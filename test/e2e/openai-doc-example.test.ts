import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { startServer, type RunningServer } from './remote-servers.js';

/**
 * The OpenAI example of docs/backends.md, run as written with node: the only change is
 * the port in its base URL (this test's server listens on a free one). The script sits in the
 * repository (so that `openai` resolves as it would for a reader) and runs in a scratch directory
 * holding the photo it names.
 */
let server: RunningServer;
const scratch = mkdtempSync(path.join(tmpdir(), 'retouch-openai-example-'));
const scripts: string[] = [];
before(async () => {
  server = await startServer({});
  mkdirSync(path.join(scratch, 'test/fixtures'), { recursive: true });
  copyFileSync('test/fixtures/coffee.png', path.join(scratch, 'test/fixtures/coffee.png'));
});
after(async () => {
  await server?.app.close();
  for (const script of scripts) rmSync(script, { force: true });
  rmSync(scratch, { recursive: true, force: true });
});

function exampleOf(file: string): string {
  const text = readFileSync(file, 'utf8');
  const block = /```js\n(\/\/ edit\.mjs[\s\S]*?)```/.exec(text);
  assert.ok(block, `${file} has the edit.mjs example`);
  return block[1]!;
}

for (const file of ['docs/backends.md']) {
  test(`the OpenAI example of ${file} runs as written`, async () => {
    const code = exampleOf(file).replace('http://127.0.0.1:8080/v1', `${server.url}/v1`);
    const script = path.resolve(`.openai-example-${process.pid}-${path.basename(file)}.mjs`);
    scripts.push(script);
    writeFileSync(script, code);
    await promisify(execFile)(process.execPath, [script], { cwd: scratch, env: { ...process.env, RETOUCH_KEY: server.key } });
    const meta = await sharp(path.join(scratch, 'edited.jpg')).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 600, 400]);
  });
}
