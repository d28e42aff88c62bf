import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { cliCommand } from '../helpers/cli.js';

const dataDir = mkdtempSync(join(tmpdir(), 'retouch-serve-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

/**
 * What a newcomer does: `npm start` on an empty data directory prints a first key, and that key works
 * against the README's own curl examples (here the local-edit one) straight away.
 */
test('the first start prints a working key with credits, and SIGTERM stops the server cleanly', async () => {
  const { command, args } = cliCommand();
  const child = spawn(command, [...args, 'serve'], {
    env: { ...process.env, RETOUCH_DATA_DIR: dataDir, RETOUCH_PORT: '0', RETOUCH_LOG_LEVEL: 'warn', RETOUCH_CONFIG: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stdout += chunk));
  const exited = new Promise<number | null>((done) => child.on('close', done));
  try {
    const address = await waitFor(() => /listening on (http:\/\/\S+)/.exec(stdout)?.[1], 20_000);
    const key = /\n {2}(rt_[A-Za-z0-9_-]{43})\n/.exec(stdout)?.[1];
    assert.ok(key, `a key is printed:\n${stdout}`);
    const image = readFileSync(resolve('test/fixtures/coffee.png')).toString('base64');
    const res = await fetch(`${address}/api/v1/image/edit`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'local-edit', prompt: 'make it black and white', image }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(res.headers.get('content-type'), 'image/png');
    // Venice reports the balance before the request; ours after the charge.
    assert.equal(res.headers.get('x-venice-balance-usd'), '5');
    assert.equal(res.headers.get('x-retouch-balance-after-usd'), '4.99');
  } finally {
    child.kill('SIGTERM');
  }
  assert.equal(await exited, 0);
});

async function waitFor<T>(probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting for the server');
    await new Promise((r) => setTimeout(r, 50));
  }
}
