import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { SqliteStore } from '../../src/storage/sqlite-store.js';
import { cliCommand, runCli } from '../helpers/cli.js';
import { assertLedgerAddsUp } from '../helpers/ledger.js';
import { samplePng } from '../helpers/test-app.js';
import { edit, slowCutoutModel, slowModel } from '../replicas/replica-cluster.js';
import { SlowUpstream } from '../replicas/slow-upstream.js';
import { until } from '../helpers/until.js';

/**
 * Issue 10: a CLI command run while a server (SQLite) has requests in flight must not drop their
 * reservations, must show them as RESERVED, and after a kill -9 the killed requests' reservations end by
 * expiry with a usage row each. Real processes: `retouch serve` and `retouch keys|credits`.
 */
const LEASE_MS = 15_000;
const PRICE = 10_000;
const dataDir = mkdtempSync(join(tmpdir(), 'retouch-cli-flight-'));
const configPath = join(dataDir, 'config.json');
const env = { RETOUCH_DATA_DIR: dataDir, RETOUCH_CONFIG: configPath };
let upstream: SlowUpstream;
let image: string;

before(async () => {
  // Each test holds the engine's answers (pause) until its CLI commands, a Node start each and slow on
  // a loaded machine, have run.
  upstream = await SlowUpstream.start(100);
  image = (await samplePng(320, 240)).toString('base64');
  writeFileSync(
    configPath,
    JSON.stringify({
      logLevel: 'warn',
      bootstrapKey: false,
      leaseMs: LEASE_MS,
      rateLimits: { enabled: false },
      port: 0,
      defaultEditModel: 'slow-edit',
      workers: { imaging: 1 },
      models: { 'slow-edit': slowModel(upstream.url), 'bg-remove': slowCutoutModel(upstream.url) },
    }),
  );
});
after(async () => {
  await upstream?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function createKey(): Promise<{ key: string; id: string }> {
  const created = await runCli(['keys', 'create', '--credits', '1'], env);
  assert.equal(created.code, 0, created.stderr);
  return { key: created.stdout.trim().split('\n').at(-1)!, id: /Created key (key_[0-9a-f]+)/.exec(created.stdout)![1] };
}

async function startServer() {
  const { command, args } = cliCommand();
  const child = spawn(command, [...args, 'serve'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(output);
      if (match) resolve(match[1]);
    });
    void exited.then(() => reject(new Error(`server exited:\n${output}`)));
  });
  return { url, child, exited, output: () => output };
}

/** RESERVED as `credits show` prints it, in micro-dollars. */
async function reservedShown(id: string): Promise<number> {
  const shown = await runCli(['credits', 'show', id], env);
  assert.equal(shown.code, 0, shown.stderr);
  const [header, , row] = shown.stdout
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s{2,}/));
  return Math.round(Number(row[header.indexOf('RESERVED')].replace('$', '')) * 1_000_000);
}

test('credits show and keys revoke during requests in flight: RESERVED is real, every request succeeds, ledgers add up', async () => {
  const [a, bystander, revoked] = [await createKey(), await createKey(), await createKey()];
  const server = await startServer();
  try {
    upstream.resetCounts();
    upstream.pause();
    const inFlight = [
      ...Array.from({ length: 4 }, () => edit(server.url, a.key, image)),
      ...Array.from({ length: 3 }, () => edit(server.url, bystander.key, image)),
    ];
    await until(() => upstream.active === 7, 'seven requests at the engine', 15_000);
    assert.equal(await reservedShown(a.id), 4 * PRICE, 'credits show reports the four open reservations');
    const revoke = await runCli(['keys', 'revoke', revoked.id], env);
    assert.equal(revoke.code, 0, revoke.stderr);
    assert.equal(await reservedShown(bystander.id), 3 * PRICE, "the bystander's reservations are still held");
    upstream.resume();
    const answers = await Promise.all(inFlight);
    assert.deepEqual(
      answers.map((r) => r.status),
      Array(7).fill(200),
      server.output(),
    );
  } finally {
    upstream.resume();
    server.child.kill('SIGTERM');
    await server.exited;
  }
  const store = new SqliteStore(join(dataDir, 'retouch.db'));
  await assertLedgerAddsUp(store, a.id, { successes: 4, priceMicros: PRICE, requestsThatReserved: 4 });
  await assertLedgerAddsUp(store, bystander.id, { successes: 3, priceMicros: PRICE, requestsThatReserved: 3 });
  await store.close();
});

test('after kill -9 the killed requests’ reservations expire: RESERVED returns to 0, each gets a usage row, nothing charged', async () => {
  const a = await createKey();
  const server = await startServer();
  upstream.resetCounts();
  upstream.pause();
  const doomed = Array.from({ length: 3 }, () => edit(server.url, a.key, image).catch((error: Error) => error));
  await until(() => upstream.active === 3, 'three requests at the engine', 15_000);
  server.child.kill('SIGKILL');
  await server.exited;
  for (const outcome of await Promise.all(doomed)) assert.ok(outcome instanceof Error);
  upstream.resume();
  assert.equal(await reservedShown(a.id), 3 * PRICE, 'held until the lease ends');
  await sleep(LEASE_MS + 200);
  assert.equal(await reservedShown(a.id), 0, 'a CLI command ends expired reservations');
  const usage = JSON.parse((await runCli(['usage', '--key', a.id, '--json'], env)).stdout);
  assert.deepEqual(
    usage.map((row: any) => [row.status, row.chargedMicros, row.model]),
    Array(3).fill([500, 0, 'slow-edit']),
  );
  const store = new SqliteStore(join(dataDir, 'retouch.db'));
  await assertLedgerAddsUp(store, a.id, { successes: 0, priceMicros: PRICE, requestsThatReserved: 3 });
  await store.close();
});
