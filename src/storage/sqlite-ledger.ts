import type Database from 'better-sqlite3';
import { type DbRow, toIdempotent, toUsage } from './rows.js';
import type { ChargeRow, ChargesQuery, IdempotentRecord, UsageFilter, UsageRow } from './store.js';

/**
 * The SQLite store's reads of the ledger (usage rows, charges, totals) and its idempotency records:
 * functions of the open database, called by SqliteStore.
 */
type Db = Database.Database;

export function listUsage(db: Db, filter: UsageFilter): UsageRow[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.keyId) {
    where.push('key_id = ?');
    params.push(filter.keyId);
  }
  if (filter.accountId) {
    where.push('account_id = ?');
    params.push(filter.accountId);
  }
  if (filter.since) {
    where.push('created_at >= ?');
    params.push(filter.since.toISOString());
  }
  const sql =
    `SELECT * FROM usage ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ` +
    `ORDER BY id DESC LIMIT ${Math.max(1, Math.min(filter.limit ?? 1000, 100_000))}`;
  return db
    .prepare(sql)
    .all(...params)
    .map((row) => toUsage(row as DbRow));
}

export function chargesPage(db: Db, query: ChargesQuery): ChargeRow[] {
  const rows = db
    .prepare(
      `SELECT * FROM usage WHERE account_id = ? AND id > ? AND charged_micros > 0
         AND created_at >= ? AND created_at < ? ORDER BY id LIMIT ?`,
    )
    .all(
      query.accountId,
      query.afterId,
      (query.start ?? new Date(0)).toISOString(),
      query.end?.toISOString() ?? '9999-12-31T23:59:59.999Z',
      query.limit,
    ) as DbRow[];
  return rows.map((row) => ({ ...toUsage(row), id: row.id }));
}

export function ledgerTotals(db: Db, accountId: string): { creditsMicros: number; chargesMicros: number } {
  const credits = db.prepare('SELECT COALESCE(SUM(micros), 0) AS s FROM credit_grants WHERE account_id = ?').get(accountId) as {
    s: number;
  };
  const charges = db.prepare('SELECT COALESCE(SUM(charged_micros), 0) AS s FROM usage WHERE account_id = ?').get(accountId) as {
    s: number;
  };
  return { creditsMicros: credits.s, chargesMicros: charges.s };
}

export function getIdempotent(db: Db, keyId: string, idempotencyKey: string, notBefore: Date): IdempotentRecord | null {
  const row = db
    .prepare('SELECT * FROM idempotency WHERE key_id = ? AND idempotency_key = ? AND created_at >= ?')
    .get(keyId, idempotencyKey, notBefore.toISOString());
  return row ? toIdempotent(row as DbRow) : null;
}

export function putIdempotent(db: Db, record: IdempotentRecord): void {
  // An expired record under the same key is replaced: the key is free again after the retention window.
  db.prepare(
    `INSERT OR REPLACE INTO idempotency
       (key_id, idempotency_key, request_hash, body, content_type, charged_micros, created_at, blurred, enhanced_prompt)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    record.keyId,
    record.idempotencyKey,
    record.requestHash,
    record.body,
    record.contentType,
    record.chargedMicros,
    record.createdAt.toISOString(),
    record.blurred ? 1 : 0,
    record.enhancedPrompt ?? null,
  );
}
