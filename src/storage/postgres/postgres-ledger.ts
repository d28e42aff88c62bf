import { toIdempotent, toUsage } from '../rows.js';
import type { ChargeRow, ChargesQuery, IdempotentRecord, UsageFilter, UsageRow } from '../store.js';
import type { PgAccess } from './postgres-accounts.js';

/**
 * The PostgreSQL store's reads of the ledger (usage rows, charges, totals) and its idempotency records,
 * called by PostgresStore.
 */

export async function listUsage(db: PgAccess, filter: UsageFilter): Promise<UsageRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.keyId) {
    params.push(filter.keyId);
    where.push(`key_id = $${params.length}`);
  }
  if (filter.accountId) {
    params.push(filter.accountId);
    where.push(`account_id = $${params.length}`);
  }
  if (filter.since) {
    params.push(filter.since);
    where.push(`created_at >= $${params.length}`);
  }
  const limit = Math.max(1, Math.min(filter.limit ?? 1000, 100_000));
  const sql = `SELECT * FROM usage ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ${limit}`;
  return (await db.query(sql, params)).rows.map(toUsage);
}

export async function chargesPage(db: PgAccess, query: ChargesQuery): Promise<ChargeRow[]> {
  const { rows } = await db.query(
    `SELECT * FROM usage WHERE account_id = $1 AND id > $2 AND charged_micros > 0
       AND ($3::timestamptz IS NULL OR created_at >= $3) AND ($4::timestamptz IS NULL OR created_at < $4)
     ORDER BY id LIMIT $5`,
    [query.accountId, query.afterId, query.start ?? null, query.end ?? null, query.limit],
  );
  return rows.map((row) => ({ ...toUsage(row), id: Number(row.id) }));
}

export async function ledgerTotals(db: PgAccess, accountId: string): Promise<{ creditsMicros: number; chargesMicros: number }> {
  const { rows } = await db.query(
    `SELECT (SELECT COALESCE(SUM(micros), 0) FROM credit_grants WHERE account_id = $1) AS credits,
            (SELECT COALESCE(SUM(charged_micros), 0) FROM usage WHERE account_id = $1) AS charges`,
    [accountId],
  );
  return { creditsMicros: Number(rows[0].credits), chargesMicros: Number(rows[0].charges) };
}

export async function getIdempotent(
  db: PgAccess,
  keyId: string,
  idempotencyKey: string,
  notBefore: Date,
): Promise<IdempotentRecord | null> {
  const { rows } = await db.query('SELECT * FROM idempotency WHERE key_id = $1 AND idempotency_key = $2 AND created_at >= $3', [
    keyId,
    idempotencyKey,
    notBefore,
  ]);
  return rows[0] ? toIdempotent(rows[0]) : null;
}

export async function putIdempotent(db: PgAccess, record: IdempotentRecord): Promise<void> {
  // An expired record under the same key is replaced: the key is free again after the retention window.
  await db.query(
    `INSERT INTO idempotency
       (key_id, idempotency_key, request_hash, body, content_type, charged_micros, created_at, blurred, enhanced_prompt)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (key_id, idempotency_key) DO UPDATE SET request_hash = EXCLUDED.request_hash, body = EXCLUDED.body,
       content_type = EXCLUDED.content_type, charged_micros = EXCLUDED.charged_micros, created_at = EXCLUDED.created_at,
       blurred = EXCLUDED.blurred, enhanced_prompt = EXCLUDED.enhanced_prompt`,
    [
      record.keyId,
      record.idempotencyKey,
      record.requestHash,
      record.body,
      record.contentType,
      record.chargedMicros,
      record.createdAt,
      record.blurred,
      record.enhancedPrompt ?? null,
    ],
  );
}
