import type Database from 'better-sqlite3';
import { currentPeriodSpend, periodStart } from './spend-period.js';
import { type DbRow, toAccount, toAudit, toBreach, toKey } from './rows.js';
import { prepared } from './sqlite-statements.js';
import type { AccountRecord, AuditRow, KeyPatch, KeyRecord, LimitBreach, LimitBreachRow, NewAccount, NewKey } from './store.js';

/**
 * The SQLite store's accounts, keys, audit trail and limit breaches (the money is in sqlite-store.ts).
 * Functions of the open database, called by SqliteStore; every write that must stay consistent with
 * another runs in one `BEGIN IMMEDIATE` transaction.
 */
type Db = Database.Database;

const now = () => new Date().toISOString();

export function createAccount(db: Db, input: NewAccount): AccountRecord {
  const createdAt = now();
  db.prepare('INSERT INTO accounts (id, name, balance_micros, created_at) VALUES (?, ?, 0, ?)').run(
    input.id,
    input.name,
    createdAt,
  );
  return { id: input.id, name: input.name, createdAt };
}

export function getAccount(db: Db, id: string): AccountRecord | null {
  return toAccount(db.prepare('SELECT * FROM accounts WHERE id = ?').get(id) as DbRow | undefined);
}

export function listAccounts(db: Db): AccountRecord[] {
  return (db.prepare('SELECT * FROM accounts ORDER BY created_at, id').all() as DbRow[]).map((row) => toAccount(row)!);
}

export function createKey(db: Db, input: NewKey, actor: string): KeyRecord {
  const limits = input.limits ?? { usdMicros: null, diem: null, period: 'EPOCH' as const };
  const createdAt = now();
  db.transaction(() => {
    db.prepare(
      `INSERT INTO api_keys (id, account_id, api_key_type, name, key_hash, display_prefix, last6, created_at, expires_at,
                             limit_usd_micros, limit_diem, limit_period, spend_period_start)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      input.id,
      input.accountId,
      input.type,
      input.name,
      input.hash,
      input.displayPrefix,
      input.last6,
      createdAt,
      input.expiresAt ?? null,
      limits.usdMicros,
      limits.diem,
      limits.period,
      periodStart(limits.period, new Date()).toISOString(),
    );
    audit(db, input.accountId, actor, 'create', input.id, {
      type: input.type,
      description: input.name,
      expiresAt: input.expiresAt ?? null,
      limits,
    });
  })();
  return getKey(db, input.id)!;
}

export function getKey(db: Db, id: string): KeyRecord | null {
  return toKey(prepared(db, 'SELECT * FROM api_keys WHERE id = ?').get(id) as DbRow | undefined);
}

export function findKeyByHash(db: Db, hash: string): KeyRecord | null {
  return toKey(prepared(db, 'SELECT * FROM api_keys WHERE key_hash = ?').get(hash) as DbRow | undefined);
}

export function listKeys(db: Db, accountId?: string): KeyRecord[] {
  const rows = accountId
    ? db.prepare('SELECT * FROM api_keys WHERE account_id = ? ORDER BY created_at, rowid').all(accountId)
    : db.prepare('SELECT * FROM api_keys ORDER BY created_at, rowid').all();
  return (rows as DbRow[]).map((row) => toKey(row)!);
}

export function updateKey(db: Db, accountId: string, id: string, patch: KeyPatch, actor: string): KeyRecord | null {
  return db
    .transaction((): KeyRecord | null => {
      const key = getKey(db, id);
      if (!key || key.accountId !== accountId) return null;
      const limits = {
        usdMicros: patch.limits?.usdMicros !== undefined ? patch.limits.usdMicros : key.limits.usdMicros,
        diem: patch.limits?.diem !== undefined ? patch.limits.diem : key.limits.diem,
        period: patch.period ?? key.limits.period,
      };
      const at = new Date();
      // The counter follows the period: recounted from the ledger when the period changes, so that a
      // LIFETIME limit set on an old key counts what the key has always spent.
      const start = periodStart(limits.period, at);
      const spend =
        limits.period === key.limits.period
          ? currentPeriodSpend(key, at)
          : (
              db
                .prepare('SELECT COALESCE(SUM(charged_micros), 0) AS s FROM usage WHERE key_id = ? AND created_at >= ?')
                .get(id, start.toISOString()) as { s: number }
            ).s;
      db.prepare(
        `UPDATE api_keys SET name = ?, expires_at = ?, limit_usd_micros = ?, limit_diem = ?, limit_period = ?,
                             spend_period_start = ?, spend_micros = ? WHERE id = ?`,
      ).run(
        patch.description ?? key.name,
        patch.expiresAt !== undefined ? patch.expiresAt : key.expiresAt,
        limits.usdMicros,
        limits.diem,
        limits.period,
        start.toISOString(),
        spend,
        id,
      );
      audit(db, accountId, actor, 'update', id, patch);
      return getKey(db, id);
    })
    .immediate();
}

export function revokeKey(db: Db, id: string, actor: string, accountId?: string): boolean {
  return db
    .transaction((): boolean => {
      const key = getKey(db, id);
      if (!key || (accountId !== undefined && key.accountId !== accountId)) return false;
      db.prepare('UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?').run(now(), id);
      audit(db, key.accountId, actor, 'revoke', id, {});
      return true;
    })
    .immediate();
}

export function keyChargesSince(db: Db, accountId: string, since: Date): Map<string, number> {
  const rows = db
    .prepare(
      `SELECT key_id, SUM(charged_micros) AS s FROM usage
       WHERE account_id = ? AND created_at >= ? AND charged_micros > 0 GROUP BY key_id`,
    )
    .all(accountId, since.toISOString()) as Array<{ key_id: string; s: number }>;
  return new Map(rows.map((row) => [row.key_id, row.s]));
}

export function audit(
  db: Db,
  accountId: string,
  actor: string,
  action: AuditRow['action'],
  keyId: string | null,
  details: object,
) {
  db.prepare('INSERT INTO audit_events (account_id, actor, action, key_id, details, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    accountId,
    actor,
    action,
    keyId,
    JSON.stringify(details),
    now(),
  );
}

export function listAudit(db: Db, accountId: string): AuditRow[] {
  return (db.prepare('SELECT * FROM audit_events WHERE account_id = ? ORDER BY id').all(accountId) as DbRow[]).map(toAudit);
}

/** How many breaches an account keeps: Venice's log shows the last 50. */
export const BREACHES_KEPT = 50;

export function recordLimitBreach(db: Db, breach: LimitBreach): void {
  db.transaction(() => {
    db.prepare('INSERT INTO limit_breaches (account_id, key_id, model_id, limit_type, created_at) VALUES (?, ?, ?, ?, ?)').run(
      breach.accountId,
      breach.keyId,
      breach.modelId,
      breach.type,
      now(),
    );
    db.prepare(
      `DELETE FROM limit_breaches WHERE account_id = ? AND id <= (
         SELECT id FROM limit_breaches WHERE account_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
    ).run(breach.accountId, breach.accountId, BREACHES_KEPT);
  })();
}

export function listLimitBreaches(db: Db, accountId: string): LimitBreachRow[] {
  return (
    db
      .prepare('SELECT * FROM limit_breaches WHERE account_id = ? ORDER BY id DESC LIMIT ?')
      .all(accountId, BREACHES_KEPT) as DbRow[]
  ).map(toBreach);
}
