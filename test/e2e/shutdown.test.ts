import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cliCommand } from '../helpers/cli.js';

const dataDir = mkdtempSync(join(tmpdir(), 'retouch-shutdown-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

/**
 * SIGTERM ends the server within a few seconds whatever is in flight. Here: an upload that never finishes
 * (it would hold app.close() forever) and a background removal under way. (Found: more than 10 s, 35 s once.)
 */
test('SIGTERM exits within a few seconds with requests still in flight', async () => {
  const { command, args } = cliCommand();
  const child = spawn(command, [...args, 'serve'], {
    env: { ...process.env, RETOUCH_DATA_DIR: dataDir, RETOUCH_PORT: '0', RETOUCH_LOG_LEVEL: 'warn', RETOUCH_CONFIG: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (out += chunk));
  const exited = new Promise<number | null>((done) => child.on('exit', done));
  const deadline = Date.now() + 20_000;
  let address: string | undefined;
  for (;;) {
    address = /listening on (http:\/\/\S+)/.exec(out)?.[1];
    if (address) break;
    assert.ok(Date.now() < deadline, `the server did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const key = /\n {2}(rt_[A-Za-z0-9_-]{43})\n/.exec(out)![1];
  const url = new URL(address);

  const socket = connect(Number(url.port), url.hostname);
  socket.on('error', () => {});
  socket.write(
    `POST /api/v1/image/edit HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n`,
  );
  const trickle = setInterval(() => socket.writable && socket.write('1\r\n \r\n'), 100);
  const cutout = fetch(`${address}/api/v1/image/background-remove`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ image_url: 'http://192.0.2.1/never.png' }),
  }).catch(() => undefined);
  await new Promise((r) => setTimeout(r, 500));

  const signalled = performance.now();
  child.kill('SIGTERM');
  const code = await exited;
  const tookMs = performance.now() - signalled;
  clearInterval(trickle);
  socket.destroy();
  await cutout;
  assert.ok(tookMs < 6_000, `exited ${Math.round(tookMs)} ms after SIGTERM`);
  assert.equal(code, 0, out);
});
