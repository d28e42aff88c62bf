import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import pg from 'pg';
import { authenticate } from '../../src/accounts/api-keys.js';
import { PostgresStore } from '../../src/storage/postgres/postgres-store.js';
import { SqliteStore } from '../../src/storage/sqlite-store.js';
import type { Store } from '../../src/storage/store.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';

/**
 * Databases made by the release before accounts (retouch 0.1.0; test/fixtures/legacy-db/make-legacy.ts.txt
 * made them with that release's code): three keys with credits, charges, a failed request, an open
 * reservation of a server that died, idempotency records, a revoked key. After the migration each key is
 * the only key of its own account and nothing is lost: balances, credit grants, charges, usage rows,
 * idempotency records, the open reservation, the revocation, the secrets.
 */
const FIXTURES = resolve('test/fixtures/legacy-db');
const secrets = JSON.parse(readFileSync(join(FIXTURES, 'secrets.json'), 'utf8')) as Record<
  'sqlite' | 'postgres',
  Record<'a' | 'b' | 'c', string>
>;

interface LegacyKey {
  id: string;
  name: string;
  balance: number;
  reserved: number;
  credits: number;
  charges: number;
  usageRows: number;
  revoked: boolean;
}
interface Legacy {
  keys: LegacyKey[];
  idempotency: Array<{
    key_id: string;
    idempotency_key: string;
    request_hash: string;
    body: Buffer;
    enhanced_prompt: string | null;
  }>;
}

/** What the old schema holds, read with plain SQL before the new code touches it. */
const LEGACY_SQL = {
  keys: `SELECT k.id, k.name, k.revoked_at IS NOT NULL AS revoked, b.balance_micros AS balance,
           (SELECT COALESCE(SUM(micros), 0) FROM reservations r WHERE r.key_id = k.id) AS reserved,
           (SELECT COALESCE(SUM(micros), 0) FROM credit_grants g WHERE g.key_id = k.id) AS credits,
           (SELECT COALESCE(SUM(charged_micros), 0) FROM usage u WHERE u.key_id = k.id) AS charges,
           (SELECT COUNT(*) FROM usage u WHERE u.key_id = k.id) AS usage_rows
         FROM api_keys k JOIN balances b ON b.key_id = k.id ORDER BY k.id`,
  idempotency: 'SELECT * FROM idempotency ORDER BY key_id, idempotency_key',
};

function toLegacy(keys: Record<string, unknown>[], idempotency: Legacy['idempotency']): Legacy {
  return {
    keys: keys.map((row) => ({
      id: String(row.id),
      name: String(row.name),
      balance: Number(row.balance),
      reserved: Number(row.reserved),
      credits: Number(row.credits),
      charges: Number(row.charges),
      usageRows: Number(row.usage_rows),
      revoked: Boolean(row.revoked),
    })),
    idempotency,
  };
}

async function assertCarriedOver(store: Store, legacy: Legacy, keySecrets: Record<'a' | 'b' | 'c', string>) {
  assert.equal(legacy.keys.length, 3);
  assert.equal(legacy.keys.filter((k) => k.reserved > 0).length, 1, 'the fixture holds an open reservation');
  const accounts = await store.listAccounts();
  assert.equal(accounts.length, 3, 'one account per key');
  for (const old of legacy.keys) {
    const key = (await store.getKey(old.id))!;
    assert.equal(key.type, 'INFERENCE', 'older keys could only call models');
    assert.equal(key.name, old.name);
    assert.equal(Boolean(key.revokedAt), old.revoked);
    assert.deepEqual(
      (await store.listKeys(key.accountId)).map((k) => k.id),
      [old.id],
      'the account holds just its key',
    );
    const balance = await store.getBalance(key.accountId);
    assert.deepEqual([balance.balanceMicros, balance.reservedMicros], [old.balance, old.reserved], old.name);
    assert.equal(key.spendReservedMicros, old.reserved);
    assert.deepEqual(await store.ledgerTotals(key.accountId), { creditsMicros: old.credits, chargesMicros: old.charges });
    const rows = await store.listUsage({ accountId: key.accountId });
    assert.equal(rows.length, old.usageRows);
    assert.ok(rows.every((row) => row.keyId === old.id));
    if (old.usageRows > 0) assert.ok(key.lastUsedAt, 'last use comes from the ledger');
  }
  for (const record of legacy.idempotency) {
    const found = await store.getIdempotent(record.key_id, record.idempotency_key, new Date(0));
    assert.equal(found?.requestHash, record.request_hash);
    assert.deepEqual(found?.body, Buffer.from(record.body));
    assert.equal(found?.enhancedPrompt, record.enhanced_prompt ?? undefined);
  }
  // The secrets still work (the revoked one still does not), and money moves on the migrated rows.
  const a = (await authenticate(store, keySecrets.a))!;
  assert.ok(a && (await authenticate(store, keySecrets.b)));
  assert.equal(await authenticate(store, keySecrets.c), null);
  const before = await store.getBalance(a.accountId);
  const reservation = (await store.reserve(a.id, 'after-migration', 40_000))!;
  await store.commit(reservation, {
    requestId: 'after-migration',
    route: 'edit',
    model: 'm',
    status: 200,
    durationMs: 1,
    inputPixels: 1,
    outputPixels: 1,
  });
  assert.equal((await store.getBalance(a.accountId)).balanceMicros, before.balanceMicros - 40_000);
  // The open reservation of the dead server ends by expiry, uncharged, as before.
  assert.equal(await store.expireReservations(), 1);
  const b = legacy.keys.find((k) => k.reserved > 0)!;
  const bKey = (await store.getKey(b.id))!;
  assert.deepEqual(await store.getBalance(bKey.accountId), {
    accountId: bKey.accountId,
    balanceMicros: b.balance,
    reservedMicros: 0,
    availableMicros: b.balance,
  });
  assert.equal((await store.getKey(b.id))?.spendReservedMicros, 0);
}

const dir = mkdtempSync(join(tmpdir(), 'retouch-migrate-'));
const databases: TestDatabase[] = [];
after(async () => {
  rmSync(dir, { recursive: true, force: true });
  for (const database of databases) await database.drop();
});

test('SQLite: a database made by retouch 0.1.0 migrates to accounts losing nothing', async () => {
  const path = join(dir, 'retouch.db');
  copyFileSync(join(FIXTURES, 'retouch-0.1.0.sqlite'), path);
  const raw = new Database(path);
  assert.equal(raw.pragma('user_version', { simple: true }), 3, 'made by the release before accounts');
  const legacy = toLegacy(
    raw.prepare(LEGACY_SQL.keys).all() as Record<string, unknown>[],
    raw.prepare(LEGACY_SQL.idempotency).all() as Legacy['idempotency'],
  );
  raw.close();
  const store = new SqliteStore(path, { leaseMs: 1_000 });
  try {
    await assertCarriedOver(store, legacy, secrets.sqlite);
  } finally {
    await store.close();
  }
});

test('PostgreSQL: a dump of a database made by retouch 0.1.0 migrates to accounts losing nothing', async () => {
  const database = await createTestDatabase();
  databases.push(database);
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  let legacy: Legacy;
  try {
    await client.query(readFileSync(join(FIXTURES, 'retouch-0.1.0.postgres.sql'), 'utf8'));
    await client.query('SET search_path = public');
    const versions = await client.query('SELECT version FROM schema_migrations ORDER BY version');
    assert.deepEqual(
      versions.rows.map((row) => row.version),
      [1, 2],
    );
    legacy = toLegacy((await client.query(LEGACY_SQL.keys)).rows, (await client.query(LEGACY_SQL.idempotency)).rows);
  } finally {
    await client.end();
  }
  const store = new PostgresStore({ connectionString: database.url, poolSize: 2, leaseMs: 1_000 });
  try {
    await assertCarriedOver(store, legacy, secrets.postgres);
  } finally {
    await store.close();
  }
});
