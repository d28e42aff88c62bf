import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { EXPIRED_RESERVATION_STATUS } from '../../src/storage/store.js';
import { assertLedgerAddsUp } from '../helpers/ledger.js';
import { samplePng } from '../helpers/test-app.js';
import { edit, ReplicaCluster, slowCutoutModel, slowModel } from './replica-cluster.js';
import { SlowUpstream } from './slow-upstream.js';
import { until } from '../helpers/until.js';

/**
 * Faults under replicas: a replica killed mid-request, PostgreSQL restarted under load, Redis unreachable.
 * After each, the ledger invariant holds (credits − charges = balance, charges = successes, no open
 * reservation). Leases are 4 s here so that expiry is quick to observe; the replicas are warmed up first
 * (a replica that just started loads its models, which on a loaded 2-core machine can stall it longer).
 */
const LEASE_MS = 4_000;
const PRICE = 10_000;
let cluster: ReplicaCluster;
let upstream: SlowUpstream;
let image: string;

before(async () => {
  upstream = await SlowUpstream.start(200);
  image = (await samplePng(320, 240)).toString('base64');
  cluster = await ReplicaCluster.create({
    defaultEditModel: 'slow-edit',
    leaseMs: LEASE_MS,
    rateLimits: { enabled: false },
    models: { 'bg-remove': slowCutoutModel(upstream.url), 'slow-edit': slowModel(upstream.url) },
  });
  await Promise.all([cluster.start(), cluster.start(), cluster.start()]);
  const { key } = await cluster.key('1');
  for (const replica of cluster.replicas) {
    const warm = await edit(replica.url, key, image);
    assert.equal(warm.status, 200, `${warm.body}\n${replica.output.join('')}`);
  }
  await sleep(3_000);
});
after(async () => {
  ensurePostgresUp();
  await cluster?.close();
  await upstream?.close();
});

test('a replica killed with SIGKILL mid-run: its reservations end within the lease, nothing charged, the others serve', async () => {
  const { key, keyId, accountId } = await cluster.key('1');
  const [victim, ...others] = cluster.replicas;
  upstream.delayMs = 5_000;
  upstream.resetCounts();
  const doomed = Array.from({ length: 3 }, () => edit(victim.url, key, image).catch((error: Error) => error));
  await until(() => upstream.active >= 3, 'three slow runs on the victim', 10_000);
  assert.equal(
    (await cluster.store.getBalance(accountId)).reservedMicros,
    3 * PRICE,
    JSON.stringify(await cluster.store.listUsage({ keyId })) + victim.output.join(''),
  );
  victim.child.kill('SIGKILL');
  await victim.exited;
  const killedAt = Date.now();
  for (const outcome of await Promise.all(doomed)) assert.ok(outcome instanceof Error, 'the killed requests got no answer');

  upstream.delayMs = 100;
  const served = await Promise.all(others.map((replica) => edit(replica.url, key, image)));
  assert.deepEqual(
    served.map((s) => s.status),
    [200, 200],
    'the other replicas keep serving',
  );
  // Renewals stopped at the kill: the lease runs out, and a surviving replica's keeper (every third of a
  // lease) ends the reservations.
  await until(
    async () => (await cluster.store.getBalance(accountId)).reservedMicros === 0,
    'the reservations to expire',
    2 * LEASE_MS,
  );
  assert.ok(Date.now() - killedAt <= LEASE_MS + LEASE_MS / 2 + 500, `released ${Date.now() - killedAt} ms after the kill`);
  await assertLedgerAddsUp(cluster.store, keyId, { successes: 2, priceMicros: PRICE, requestsThatReserved: 5 });
  const expired = (await cluster.store.listUsage({ keyId })).filter((row) => row.status === EXPIRED_RESERVATION_STATUS);
  assert.equal(expired.length, 3);
  assert.ok(expired.every((row) => row.chargedMicros === 0 && row.model === 'slow-edit' && row.route === 'edit'));
  cluster.replicas.splice(cluster.replicas.indexOf(victim), 1);
});

test('PostgreSQL restarted under load: in-flight requests fail cleanly, nothing charged, then requests succeed, no leak', async () => {
  const { key, keyId, accountId } = await cluster.key('5');
  upstream.delayMs = 800;
  const answers: Array<{ status: number; body: Buffer; headers: Headers } | Error> = [];
  let sending = true;
  const load = Array.from({ length: 4 }, async (_, lane) => {
    while (sending) {
      answers.push(await edit(cluster.replicas[lane % cluster.replicas.length].url, key, image).catch((error: Error) => error));
    }
  });
  await until(() => upstream.active >= 4, 'requests in flight', 10_000);
  try {
    // Down for two seconds: longer than the engine runs, so requests in flight reach their commit while
    // the database is gone, and new requests arrive meanwhile.
    execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', postgresVersion(), 'main', 'stop', '-m', 'fast'], {
      stdio: 'pipe',
    });
    await sleep(2_000);
  } finally {
    ensurePostgresUp();
  }
  await sleep(3_000);
  sending = false;
  await Promise.all(load);

  upstream.delayMs = 50;
  const after = await Promise.all(
    cluster.replicas.map((replica) =>
      edit(replica.url, key, image).catch((error: Error) =>
        assert.fail(`${error.message}: ${replica.output.join('').slice(-3000)}`),
      ),
    ),
  );
  assert.deepEqual(
    after.map((a) => a.status),
    after.map(() => 200),
    'new requests succeed once PostgreSQL is back',
  );

  const failed = answers.filter((a) => a instanceof Error || a.status !== 200);
  assert.ok(failed.length > 0, 'the restart hit requests in flight');
  for (const answer of failed) {
    assert.ok(!(answer instanceof Error), `a request got no answer: ${answer}`);
    // The database's passing absence is a 503 to retry, as Redis's is, not a 500.
    assert.equal(answer.status, 503, `status ${answer.status}: ${answer.body.toString()}`);
    assert.equal(answer.headers.get('retry-after'), '5');
    assert.equal(typeof JSON.parse(answer.body.toString()).error, 'string', "Venice's error body");
  }
  const successes = answers.filter((a) => !(a instanceof Error) && a.status === 200).length + after.length;
  // Reservations whose release failed while the database was down end by expiry.
  await until(async () => (await cluster.store.getBalance(accountId)).reservedMicros === 0, 'no open reservation', 3 * LEASE_MS);
  await assertLedgerAddsUp(cluster.store, keyId, { successes, priceMicros: PRICE });
});

test('Redis unreachable: image requests get 503 with Retry-After and Venice’s body; money is untouched', async () => {
  const isolated = await cluster.start({ RETOUCH_REDIS_URL: 'redis://127.0.0.1:1' });
  const { key, keyId, accountId } = await cluster.key('1');
  const answer = await edit(isolated.url, key, image);
  assert.equal(answer.status, 503);
  assert.equal(answer.headers.get('retry-after'), '5');
  assert.match(JSON.parse(answer.body.toString()).error, /temporarily unavailable/);
  const balance = await cluster.store.getBalance(accountId);
  assert.deepEqual([balance.balanceMicros, balance.reservedMicros], [1_000_000, 0]);
  // Redis is first asked by the error budget, as soon as the body names the model: the request fails
  // before any credit is held, so there is no reservation and no usage row.
  await assertLedgerAddsUp(cluster.store, keyId, { successes: 0, priceMicros: PRICE, requestsThatReserved: 0 });
  const health = await fetch(`${isolated.url}/healthz`);
  assert.equal(health.status, 200, 'the process itself stays up');
});

function postgresVersion(): string {
  return readdirSync('/etc/postgresql')[0];
}

/** Whatever happened, PostgreSQL is running when this returns (later tests and sessions need it). */
function ensurePostgresUp(): void {
  for (let attempt = 0; attempt < 30; attempt++) {
    try {
      execFileSync('pg_isready', ['-h', '127.0.0.1', '-t', '2'], { stdio: 'pipe' });
      return;
    } catch {
      try {
        execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', postgresVersion(), 'main', 'start'], { stdio: 'pipe' });
      } catch {
        // already starting; wait and check again
      }
      execFileSync('sleep', ['1']);
    }
  }
  throw new Error('PostgreSQL did not come back');
}
