import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createApiKey, authenticate, hashKey } from '../../src/accounts/api-keys.js';
import { SqliteStore } from '../../src/storage/sqlite-store.js';

const usage = (requestId: string) => ({
  requestId,
  route: 'edit',
  model: 'm',
  status: 200,
  durationMs: 5,
  inputPixels: 100,
  outputPixels: 100,
});

test('reserve holds money, commit charges it, release frees it; the ledger explains the balance', async () => {
  const store = new SqliteStore(':memory:');
  const { record } = await createApiKey(store, { creditsUsd: '0.10' });
  const a = await store.reserve(record.id, 'r1', 40_000);
  const b = await store.reserve(record.id, 'r2', 40_000);
  assert.ok(a && b);
  assert.equal(await store.reserve(record.id, 'r3', 40_000), null, 'only 20,000 micros are still available');
  assert.deepEqual(await store.getBalance(record.id), {
    keyId: record.id,
    balanceMicros: 100_000,
    reservedMicros: 80_000,
    availableMicros: 20_000,
  });
  await store.commit(a, usage('r1'));
  await store.release(b, { ...usage('r2'), status: 500 });
  await store.release(b, { ...usage('r2'), status: 500 });
  const balance = await store.getBalance(record.id);
  assert.equal(balance.balanceMicros, 60_000);
  assert.equal(balance.reservedMicros, 0);
  const totals = await store.ledgerTotals(record.id);
  assert.equal(totals.creditsMicros - totals.chargesMicros, balance.balanceMicros);
  assert.equal((await store.listUsage({ keyId: record.id })).length, 2, 'a double release writes one row');
  await assert.rejects(store.commit(b, usage('r2')), /not open/);
  await store.close();
});

test('keys are stored only as hashes, and revoked keys no longer authenticate', async () => {
  const store = new SqliteStore(':memory:');
  const { record, key } = await createApiKey(store, { name: 'ci' });
  assert.match(key, /^rt_[A-Za-z0-9_-]{43}$/);
  assert.equal((await store.findKeyByHash(hashKey(key)))?.id, record.id);
  assert.equal((await authenticate(store, key))?.id, record.id);
  assert.equal(await authenticate(store, key + 'x'), null);
  await store.revokeKey(record.id);
  assert.equal(await authenticate(store, key), null);
  await store.close();
});

test('open reservations do not survive a restart, and balances do', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'retouch-store-'));
  try {
    const path = join(dir, 'db.sqlite');
    const first = new SqliteStore(path);
    const { record } = await createApiKey(first, { creditsUsd: '1' });
    await first.reserve(record.id, 'r', 500_000);
    await first.close();
    const second = new SqliteStore(path);
    assert.deepEqual(await second.getBalance(record.id), {
      keyId: record.id,
      balanceMicros: 1_000_000,
      reservedMicros: 0,
      availableMicros: 1_000_000,
    });
    await second.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('idempotency records expire after the retention window', async () => {
  const store = new SqliteStore(':memory:');
  const { record } = await createApiKey(store);
  const old = new Date(Date.now() - 25 * 3_600_000);
  await store.putIdempotent({
    keyId: record.id,
    idempotencyKey: 'k',
    requestHash: 'h',
    body: Buffer.from('png'),
    contentType: 'image/png',
    chargedMicros: 1,
    createdAt: old,
  });
  assert.equal(await store.getIdempotent(record.id, 'k', new Date(Date.now() - 24 * 3_600_000)), null);
  assert.ok(await store.getIdempotent(record.id, 'k', new Date(Date.now() - 26 * 3_600_000)));
  await store.close();
});
