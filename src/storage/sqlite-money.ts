import type Database from 'better-sqlite3';
import { usageValues } from './rows.js';
import { LIFETIME_START, periodStart } from './spend-period.js';
import { prepared } from './sqlite-statements.js';
import type { Admission, Balance, LimitPeriod, ReservationHold, UsageInput } from './store.js';

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

/** What the admission reads in one statement: the key's state and its account's available amount. */
interface AdmitRow {
  account_id: string;
  revoked_at: string | null;
  expires_at: string | null;
  limit_usd_micros: number | null;
  limit_period: LimitPeriod;
  spend_period_start: string;
  spend_micros: number;
  spend_reserved_micros: number;
  available_micros: number;
}

/**
 * Admits one request inside the caller's `BEGIN IMMEDIATE` transaction: one read of the key with its
 * account, then the hold on the account, on the key's spend counter and as a reservation row. The key's
 * period spend is its running counter (spend_micros, kept by `settle`), never a sum over the ledger.
 */
export function admitNow(db: Db, input: AdmitInput): Admission {
  const { keyId, requestId, micros } = input;
  const key = prepared(
    db,
    `SELECT k.account_id, k.revoked_at, k.expires_at, k.limit_usd_micros, k.limit_period, k.spend_period_start,
            k.spend_micros, k.spend_reserved_micros, a.balance_micros - a.reserved_micros AS available_micros
     FROM api_keys k JOIN accounts a ON a.id = k.account_id WHERE k.id = ?`,
  ).get(keyId) as AdmitRow | undefined;
  const at = new Date();
  if (!key || key.revoked_at || (key.expires_at && Date.parse(key.expires_at) <= at.getTime())) {
    return { reservation: null, refused: 'key-inactive' };
  }
  if (key.available_micros < micros) return { reservation: null, refused: 'balance' };
  // The key's counter restarts with each new period of its limit.
  const start = periodStart(key.limit_period, at).toISOString();
  const spent = key.spend_period_start === start ? key.spend_micros : 0;
  if (key.limit_usd_micros !== null && spent + key.spend_reserved_micros + micros > key.limit_usd_micros) {
    return { reservation: null, refused: 'key-limit' };
  }
  const accountId = key.account_id;
  prepared(db, 'UPDATE accounts SET reserved_micros = reserved_micros + ? WHERE id = ?').run(micros, accountId);
  prepared(
    db,
    `UPDATE api_keys SET spend_period_start = ?, spend_micros = ?, spend_reserved_micros = spend_reserved_micros + ?,
                         last_used_at = ? WHERE id = ?`,
  ).run(start, spent, micros, at.toISOString(), keyId);
  const result = prepared(
    db,
    `INSERT INTO reservations (key_id, account_id, request_id, micros, created_at, owner, expires_at, route, model)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    keyId,
    accountId,
    requestId,
    micros,
    at.toISOString(),
    input.owner,
    input.expiresAt.toISOString(),
    input.hold?.route ?? '',
    input.hold?.model ?? '',
  );
  return { reservation: { id: Number(result.lastInsertRowid), keyId, accountId, requestId, micros } };
}

/**
 * Ends an open reservation inside the caller's transaction: the hold leaves the account and the key,
 * and a charge (when `charge`) leaves the balance and counts in the key's current period. Answers the
 * account's balance afterwards, or null when the reservation was not open.
 */
export function settle(db: Db, id: number, charge: boolean): Balance | null {
  const row = prepared(db, 'DELETE FROM reservations WHERE id = ? RETURNING key_id, account_id, micros').get(id) as
    | { key_id: string; account_id: string; micros: number }
    | undefined;
  if (!row) return null;
  const charged = charge ? row.micros : 0;
  const account = prepared(
    db,
    `UPDATE accounts SET balance_micros = balance_micros - ?, reserved_micros = reserved_micros - ? WHERE id = ?
     RETURNING balance_micros, reserved_micros`,
  ).get(charged, row.micros, row.account_id) as { balance_micros: number; reserved_micros: number };
  // The key's counter, moved on to the current period of its limit (whichever period the key has) in SQL,
  // so the key needs no read first. Every writer stores period starts as toISOString() gives them.
  const at = new Date();
  prepared(
    db,
    `UPDATE api_keys SET
       spend_micros = CASE WHEN spend_period_start = ${PERIOD_START_SQL} THEN spend_micros ELSE 0 END + :charged,
       spend_period_start = ${PERIOD_START_SQL},
       spend_reserved_micros = spend_reserved_micros - :held
     WHERE id = :key`,
  ).run({
    charged,
    held: row.micros,
    key: row.key_id,
    day: periodStart('EPOCH', at).toISOString(),
    month: periodStart('MONTH', at).toISOString(),
    lifetime: LIFETIME_START.toISOString(),
  });
  return {
    accountId: row.account_id,
    balanceMicros: account.balance_micros,
    reservedMicros: account.reserved_micros,
    availableMicros: account.balance_micros - account.reserved_micros,
  };
}

/** The start of the key row's current period (spend-period.ts), from the :day, :month and :lifetime parameters. */
const PERIOD_START_SQL = `(CASE limit_period WHEN 'EPOCH' THEN :day WHEN 'MONTH' THEN :month ELSE :lifetime END)`;

export function balanceOf(db: Db, accountId: string): Balance {
  const row = prepared(db, 'SELECT balance_micros, reserved_micros FROM accounts WHERE id = ?').get(accountId) as
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
  prepared(
    db,
    `INSERT INTO usage (request_id, key_id, account_id, route, model, charged_micros, status, duration_ms,
                          input_pixels, output_pixels, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(...usageValues(usage), now());
}

function now(): string {
  return new Date().toISOString();
}
