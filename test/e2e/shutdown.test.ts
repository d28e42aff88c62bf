import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import sharp from 'sharp';
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

/**
 * SIGTERM while ONNX Runtime is running a background removal and an upscale tile. Ending a worker thread
 * during a session's run() made the process abort ("terminate called after throwing an instance of
 * 'Napi::Error'", SIGABRT) instead of exiting: first seen at the end of the soak benchmark. The shutdown
 * now waits for the runs under way (src/resources/onnx/inference-pool.ts). Expected: exit code 0, each
 * client gets a whole answer or a closed connection (never a 5xx), and no half-written file is left in
 * the data folder (the int8 networks are cached there on first use).
 */
test('SIGTERM during background removal and upscale inference exits cleanly', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'retouch-shutdown-inference-'));
  after(() => rmSync(folder, { recursive: true, force: true }));
  const { command, args } = cliCommand();
  const child = spawn(command, [...args, 'serve'], {
    env: {
      ...process.env,
      RETOUCH_DATA_DIR: folder,
      RETOUCH_PORT: '0',
      RETOUCH_LOG_LEVEL: 'info',
      RETOUCH_CONFIG: '',
      RETOUCH_RATE_LIMITS: 'off',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (out += chunk));
  const exited = new Promise<{ code: number | null; signal: string | null }>((done) =>
    child.on('exit', (code, signal) => done({ code, signal })),
  );
  const waitFor = async (pattern: RegExp, ms: number) => {
    const deadline = Date.now() + ms;
    while (!pattern.test(out)) {
      assert.ok(Date.now() < deadline && child.exitCode === null, `waited for ${pattern}:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  await waitFor(/listening on http/, 20_000);
  const address = /listening on (http:\/\/\S+)/.exec(out)![1];
  const key = /\n {2}(rt_[A-Za-z0-9_-]{43})\n/.exec(out)![1];

  // A large photo (12 MP) for the removal; for the upscale, enough tiles to be mid-run at any moment.
  const photo = readFileSync('test/fixtures/motorcycle_left.png');
  const large = (await sharp(photo).resize(4000, 2700).jpeg().toBuffer()).toString('base64');
  const medium = (await sharp(photo).resize(900, 600).png().toBuffer()).toString('base64');
  const send = async (path: string, body: object) => {
    try {
      const response = await fetch(`${address}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const bytes = Buffer.from(await response.arrayBuffer());
      return { status: response.status, bytes };
    } catch (error) {
      return { status: 0, bytes: Buffer.alloc(0), error: (error as Error).message };
    }
  };
  const removal = send('/api/v1/image/background-remove', { image: large });
  const upscale = send('/api/v1/image/upscale', { image: medium, scale: 2, creativity: 0 });
  // Both pools have started their threads (loading or running their networks: native work either way);
  // the connections are closed 2 s after the signal, and the pools close while runs are under way.
  await waitFor(/segmentation workers started/, 30_000);
  await waitFor(/super-resolution workers started/, 30_000);
  await new Promise((r) => setTimeout(r, 1_500));
  child.kill('SIGTERM');
  const { code, signal } = await exited;
  assert.doesNotMatch(out, /terminate called|Napi::Error/, out);
  assert.deepEqual({ code, signal }, { code: 0, signal: null }, out.slice(-3000));
  for (const answer of await Promise.all([removal, upscale])) {
    // A closed connection, or a whole picture; never a server error.
    if (answer.status === 0) continue;
    assert.equal(answer.status, 200, answer.bytes.toString().slice(0, 300));
    const meta = await sharp(answer.bytes).metadata();
    assert.ok(meta.width && meta.height);
  }
  const leftovers = readdirSync(folder, { recursive: true }).filter((name) => String(name).endsWith('.tmp'));
  assert.deepEqual(leftovers, []);
});
