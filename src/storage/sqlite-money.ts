import type Database from 'better-sqlite3';
import { periodStart } from './spend-period.js';
import { usageValues } from './rows.js';
import { getKey } from './sqlite-accounts.js';
import type { Admission, Balance, ReservationHold, UsageInput } from './store.js';

/**
 * The SQLite store's money steps, each run inside a transaction of SqliteStore: the admission of a
 * request (key live, within its spend limit, the account's balance enough; then the hold), the end of a
 * reservation, the account's balance and a usage row.
 */
type Db = Database.Database;

export interface AdmitInput {
  keyId: string;
  requestId: string;
  micros: number;
  hold?: ReservationHold;
  /** The store instance that will renew the reservation's lease, and when the lease ends. */
  owner: string;
  expiresAt: Date;
}

export function admitNow(db: Db, input: AdmitInput): Admission {
  const { keyId, requestId, micros } = input;
  const key = getKey(db, keyId);
  const at = new Date();
  if (!key || key.revokedAt || (key.expiresAt && Date.parse(key.expiresAt) <= at.getTime())) {
    return { reservation: null, refused: 'key-inactive' };
  }
  if (balanceOf(db, key.accountId).availableMicros < micros) return { reservation: null, refused: 'balance' };
  // The key's counter restarts with each new period of its limit.
  const start = periodStart(key.limits.period, at).toISOString();
  const spent = Date.parse(key.spendPeriodStart) === Date.parse(start) ? key.spendMicros : 0;
  if (key.limits.usdMicros !== null && spent + key.spendReservedMicros + micros > key.limits.usdMicros) {
    return { reservation: null, refused: 'key-limit' };
  }
  db.prepare('UPDATE accounts SET reserved_micros = reserved_micros + ? WHERE id = ?').run(micros, key.accountId);
  db.prepare(
    `UPDATE api_keys SET spend_period_start = ?, spend_micros = ?, spend_reserved_micros = spend_reserved_micros + ?,
                           last_used_at = ? WHERE id = ?`,
  ).run(start, spent, micros, at.toISOString(), keyId);
  const result = db
    .prepare(
      `INSERT INTO reservations (key_id, account_id, request_id, micros, created_at, owner, expires_at, route, model)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      keyId,
      key.accountId,
      requestId,
      micros,
      at.toISOString(),
      input.owner,
      input.expiresAt.toISOString(),
      input.hold?.route ?? '',
      input.hold?.model ?? '',
    );
  return { reservation: { id: Number(result.lastInsertRowid), keyId, accountId: key.accountId, requestId, micros } };
}

/**
 * Ends an open reservation inside the caller's transaction: the hold leaves the account and the key,
 * and a charge (when `charge`) leaves the balance and counts in the key's current period. Returns false
 * when the reservation was not open.
 */
export function settle(db: Db, id: number, charge: boolean): boolean {
  const row = db.prepare('DELETE FROM reservations WHERE id = ? RETURNING key_id, account_id, micros').get(id) as
    | { key_id: string; account_id: string; micros: number }
    | undefined;
  if (!row) return false;
  const charged = charge ? row.micros : 0;
  db.prepare('UPDATE accounts SET balance_micros = balance_micros - ?, reserved_micros = reserved_micros - ? WHERE id = ?').run(
    charged,
    row.micros,
    row.account_id,
  );
  const key = getKey(db, row.key_id);
  if (key) {
    const start = periodStart(key.limits.period, new Date()).toISOString();
    const spent = Date.parse(key.spendPeriodStart) === Date.parse(start) ? key.spendMicros : 0;
    db.prepare(
      'UPDATE api_keys SET spend_period_start = ?, spend_micros = ?, spend_reserved_micros = spend_reserved_micros - ? WHERE id = ?',
    ).run(start, spent + charged, row.micros, row.key_id);
  }
  return true;
}

export function balanceOf(db: Db, accountId: string): Balance {
  const row = db.prepare('SELECT balance_micros, reserved_micros FROM accounts WHERE id = ?').get(accountId) as
    | { balance_micros: number; reserved_micros: number }
    | undefined;
  if (!row) throw new Error(`unknown account ${accountId}`);
  return {
    accountId,
    balanceMicros: row.balance_micros,
    reservedMicros: row.reserved_micros,
    availableMicros: row.balance_micros - row.reserved_micros,
  };
}

export function insertUsage(db: Db, usage: UsageInput & { keyId: string; accountId: string; chargedMicros: number }): void {
  db.prepare(
    `INSERT INTO usage (request_id, key_id, account_id, route, model, charged_micros, status, duration_ms,
                          input_pixels, output_pixels, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(...usageValues(usage), now());
}

function now(): string {
  return new Date().toISOString();
}
