import type pg from 'pg';
import { type DbRow, toAccount, toAudit, toBreach, toKey } from '../rows.js';
import type { AccountRecord, AuditRow, KeyPatch, KeyRecord, LimitBreach, LimitBreachRow, NewAccount, NewKey } from '../store.js';

/**
 * The PostgreSQL store's accounts, keys, audit trail and limit breaches (the money is in
 * postgres-store.ts). `db` runs one statement; `tx` runs work in one transaction on one connection.
 */
export interface PgAccess {
  query<R extends pg.QueryResultRow = DbRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
  transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T>;
}

export async function createAccount(db: PgAccess, input: NewAccount): Promise<AccountRecord> {
  const { rows } = await db.query('INSERT INTO accounts (id, name, balance_micros) VALUES ($1, $2, 0) RETURNING *', [
    input.id,
    input.name,
  ]);
  return toAccount(rows[0])!;
}

export async function getAccount(db: PgAccess, id: string): Promise<AccountRecord | null> {
  return toAccount((await db.query('SELECT * FROM accounts WHERE id = $1', [id])).rows[0]);
}

export async function listAccounts(db: PgAccess): Promise<AccountRecord[]> {
  return (await db.query('SELECT * FROM accounts ORDER BY created_at, id')).rows.map((row) => toAccount(row)!);
}

export async function createKey(db: PgAccess, input: NewKey, actor: string): Promise<KeyRecord> {
  const limits = input.limits ?? { usdMicros: null, diem: null, period: 'EPOCH' as const };
  return db.transaction(async (client) => {
    const { rows } = await client.query(
      `INSERT INTO api_keys (id, account_id, api_key_type, name, key_hash, display_prefix, last6, created_at, expires_at,
                             limit_usd_micros, limit_diem, limit_period, spend_period_start)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now(), $8, $9, $10, $11, retouch_period_start($11, now())) RETURNING *`,
      [
        input.id,
        input.accountId,
        input.type,
        input.name,
        input.hash,
        input.displayPrefix,
        input.last6,
        input.expiresAt ?? null,
        limits.usdMicros,
        limits.diem,
        limits.period,
      ],
    );
    await audit(client, input.accountId, actor, 'create', input.id, {
      type: input.type,
      description: input.name,
      expiresAt: input.expiresAt ?? null,
      limits,
    });
    return toKey(rows[0])!;
  });
}

export async function findKeyByHash(db: PgAccess, hash: string): Promise<KeyRecord | null> {
  return toKey((await db.query('SELECT * FROM api_keys WHERE key_hash = $1', [hash])).rows[0]);
}

export async function getKey(db: PgAccess, id: string): Promise<KeyRecord | null> {
  return toKey((await db.query('SELECT * FROM api_keys WHERE id = $1', [id])).rows[0]);
}

export async function listKeys(db: PgAccess, accountId?: string): Promise<KeyRecord[]> {
  const { rows } = accountId
    ? await db.query('SELECT * FROM api_keys WHERE account_id = $1 ORDER BY created_at, id', [accountId])
    : await db.query('SELECT * FROM api_keys ORDER BY created_at, id');
  return rows.map((row) => toKey(row)!);
}

export async function updateKey(
  db: PgAccess,
  accountId: string,
  id: string,
  patch: KeyPatch,
  actor: string,
): Promise<KeyRecord | null> {
  return db.transaction(async (client) => {
    // The account's lock first, as every writer of the spend counters takes it (see accounts-migration.ts).
    await client.query('SELECT 1 FROM accounts WHERE id = $1 FOR UPDATE', [accountId]);
    const found = await client.query('SELECT * FROM api_keys WHERE id = $1 AND account_id = $2 FOR UPDATE', [id, accountId]);
    const key = toKey(found.rows[0]);
    if (!key) return null;
    const usd = patch.limits?.usdMicros !== undefined ? patch.limits.usdMicros : key.limits.usdMicros;
    const diem = patch.limits?.diem !== undefined ? patch.limits.diem : key.limits.diem;
    const period = patch.period ?? key.limits.period;
    // A changed period recounts the key's spend from the ledger (a LIFETIME cap counts all it ever spent).
    const { rows } = await client.query(
      `UPDATE api_keys k SET name = $3, expires_at = $4, limit_usd_micros = $5, limit_diem = $6, limit_period = $7,
         spend_period_start = retouch_period_start($7, now()),
         spend_micros = CASE
           WHEN $7 = k.limit_period AND k.spend_period_start = retouch_period_start($7, now()) THEN k.spend_micros
           WHEN $7 = k.limit_period THEN 0
           ELSE (SELECT COALESCE(sum(u.charged_micros), 0) FROM usage u
                 WHERE u.key_id = k.id AND u.created_at >= retouch_period_start($7, now())) END
       WHERE id = $1 AND account_id = $2 RETURNING *`,
      [
        id,
        accountId,
        patch.description ?? key.name,
        patch.expiresAt !== undefined ? patch.expiresAt : key.expiresAt,
        usd,
        diem,
        period,
      ],
    );
    await audit(client, accountId, actor, 'update', id, patch);
    return toKey(rows[0]);
  });
}

export async function revokeKey(db: PgAccess, id: string, actor: string, accountId?: string): Promise<boolean> {
  return db.transaction(async (client) => {
    const { rows } = await client.query(
      `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 AND ($2::text IS NULL OR account_id = $2)
       RETURNING account_id`,
      [id, accountId ?? null],
    );
    if (rows.length === 0) return false;
    await audit(client, rows[0].account_id, actor, 'revoke', id, {});
    return true;
  });
}

export async function keyChargesSince(db: PgAccess, accountId: string, since: Date): Promise<Map<string, number>> {
  const { rows } = await db.query(
    `SELECT key_id, sum(charged_micros) AS s FROM usage
     WHERE account_id = $1 AND created_at >= $2 AND charged_micros > 0 GROUP BY key_id`,
    [accountId, since],
  );
  return new Map(rows.map((row) => [row.key_id as string, Number(row.s)]));
}

export async function audit(
  client: pg.PoolClient,
  accountId: string,
  actor: string,
  action: AuditRow['action'],
  keyId: string | null,
  details: object,
): Promise<void> {
  await client.query('INSERT INTO audit_events (account_id, actor, action, key_id, details) VALUES ($1, $2, $3, $4, $5)', [
    accountId,
    actor,
    action,
    keyId,
    JSON.stringify(details),
  ]);
}

export async function listAudit(db: PgAccess, accountId: string): Promise<AuditRow[]> {
  return (await db.query('SELECT * FROM audit_events WHERE account_id = $1 ORDER BY id', [accountId])).rows.map(toAudit);
}

/** How many breaches an account keeps: Venice's log shows the last 50. */
const BREACHES_KEPT = 50;

export async function recordLimitBreach(db: PgAccess, breach: LimitBreach): Promise<void> {
  await db.query(
    `WITH added AS (
       INSERT INTO limit_breaches (account_id, key_id, model_id, limit_type) VALUES ($1, $2, $3, $4) RETURNING id)
     DELETE FROM limit_breaches WHERE account_id = $1 AND id <= (
       SELECT id FROM limit_breaches WHERE account_id = $1 ORDER BY id DESC LIMIT 1 OFFSET $5)`,
    [breach.accountId, breach.keyId, breach.modelId, breach.type, BREACHES_KEPT - 1],
  );
}

export async function listLimitBreaches(db: PgAccess, accountId: string): Promise<LimitBreachRow[]> {
  const { rows } = await db.query('SELECT * FROM limit_breaches WHERE account_id = $1 ORDER BY id DESC LIMIT $2', [
    accountId,
    BREACHES_KEPT,
  ]);
  return rows.map(toBreach);
}
