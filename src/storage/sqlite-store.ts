import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { periodStart } from '../accounts/spend-period.js';
import { OpenReservations } from './open-reservations.js';
import { type DbRow, toIdempotent, toUsage, usageValues } from './rows.js';
import * as accounts from './sqlite-accounts.js';
import { MIGRATIONS } from './sqlite-schema.js';
import {
  EXPIRED_RESERVATION_STATUS,
  type AccountRecord,
  type Admission,
  type AuditRow,
  type Balance,
  type ChargeRow,
  type ChargesQuery,
  type IdempotentRecord,
  type KeyPatch,
  type KeyRecord,
  type LeaseOptions,
  type LimitBreach,
  type LimitBreachRow,
  type NewAccount,
  type NewKey,
  type Reservation,
  type ReservationHold,
  type Store,
  type UsageFilter,
  type UsageInput,
  type UsageRow,
} from './store.js';

/**
 * The embedded store. better-sqlite3 runs each statement synchronously on one connection, so every
 * transaction below is serialised with respect to all others in this process; WAL mode and
 * `BEGIN IMMEDIATE` (better-sqlite3's `.immediate`) keep it correct if a second process opens the file.
 */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly open: OpenReservations;

  /** `path` is a file path, or ':memory:' for tests. */
  constructor(path: string, leases: LeaseOptions = {}) {
    this.open = new OpenReservations(leases);
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.migrate();
    // Open reservations are NOT dropped here: another process (a running server, while this one is a CLI
    // command) may own them. Those whose owner died end by expiry.
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    for (let step = version; step < MIGRATIONS.length; step++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[step]);
        this.db.pragma(`user_version = ${step + 1}`);
      })();
    }
  }

  async createAccount(input: NewAccount): Promise<AccountRecord> {
    return accounts.createAccount(this.db, input);
  }

  async getAccount(id: string): Promise<AccountRecord | null> {
    return accounts.getAccount(this.db, id);
  }

  async listAccounts(): Promise<AccountRecord[]> {
    return accounts.listAccounts(this.db);
  }

  async createKey(input: NewKey, actor: string): Promise<KeyRecord> {
    return accounts.createKey(this.db, input, actor);
  }

  async findKeyByHash(hash: string): Promise<KeyRecord | null> {
    return accounts.findKeyByHash(this.db, hash);
  }

  async getKey(id: string): Promise<KeyRecord | null> {
    return accounts.getKey(this.db, id);
  }

  async listKeys(accountId?: string): Promise<KeyRecord[]> {
    return accounts.listKeys(this.db, accountId);
  }

  async updateKey(accountId: string, id: string, patch: KeyPatch, actor: string): Promise<KeyRecord | null> {
    return accounts.updateKey(this.db, accountId, id, patch, actor);
  }

  async revokeKey(id: string, actor = 'cli', accountId?: string): Promise<boolean> {
    return accounts.revokeKey(this.db, id, actor, accountId);
  }

  async countKeys(): Promise<number> {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM api_keys').get() as { n: number }).n;
  }

  async keyChargesSince(accountId: string, since: Date): Promise<Map<string, number>> {
    return accounts.keyChargesSince(this.db, accountId, since);
  }

  async recordLimitBreach(breach: LimitBreach): Promise<void> {
    accounts.recordLimitBreach(this.db, breach);
  }

  async listLimitBreaches(accountId: string): Promise<LimitBreachRow[]> {
    return accounts.listLimitBreaches(this.db, accountId);
  }

  async listAudit(accountId: string): Promise<AuditRow[]> {
    return accounts.listAudit(this.db, accountId);
  }

  async addCredits(accountId: string, micros: number, note: string, actor = 'cli'): Promise<Balance> {
    assertMicros(micros);
    this.db
      .transaction(() => {
        this.balanceOf(accountId); // an unknown account is an error, not a grant to nobody
        this.db
          .prepare('INSERT INTO credit_grants (account_id, micros, note, actor, created_at) VALUES (?, ?, ?, ?, ?)')
          .run(accountId, micros, note, actor, now());
        this.db.prepare('UPDATE accounts SET balance_micros = balance_micros + ? WHERE id = ?').run(micros, accountId);
        accounts.audit(this.db, accountId, actor, 'credit', null, { micros, note });
      })
      .immediate();
    return this.balanceOf(accountId);
  }

  async getBalance(accountId: string): Promise<Balance> {
    return this.balanceOf(accountId);
  }

  async reserve(keyId: string, requestId: string, micros: number, hold?: ReservationHold): Promise<Reservation | null> {
    return (await this.admit(keyId, requestId, micros, hold)).reservation;
  }

  async admit(keyId: string, requestId: string, micros: number, hold?: ReservationHold): Promise<Admission> {
    assertMicros(micros);
    const admission = this.db
      .transaction((): Admission => {
        const key = accounts.getKey(this.db, keyId);
        const at = new Date();
        if (!key || key.revokedAt || (key.expiresAt && Date.parse(key.expiresAt) <= at.getTime())) {
          return { reservation: null, refused: 'key-inactive' };
        }
        if (this.balanceOf(key.accountId).availableMicros < micros) return { reservation: null, refused: 'balance' };
        // The key's counter restarts with each new period of its limit.
        const start = periodStart(key.limits.period, at).toISOString();
        const spent = Date.parse(key.spendPeriodStart) === Date.parse(start) ? key.spendMicros : 0;
        if (key.limits.usdMicros !== null && spent + key.spendReservedMicros + micros > key.limits.usdMicros) {
          return { reservation: null, refused: 'key-limit' };
        }
        this.db.prepare('UPDATE accounts SET reserved_micros = reserved_micros + ? WHERE id = ?').run(micros, key.accountId);
        this.db
          .prepare(
            `UPDATE api_keys SET spend_period_start = ?, spend_micros = ?, spend_reserved_micros = spend_reserved_micros + ?,
                                 last_used_at = ? WHERE id = ?`,
          )
          .run(start, spent, micros, at.toISOString(), keyId);
        const result = this.db
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
            this.open.owner,
            this.open.expiryFromNow().toISOString(),
            hold?.route ?? '',
            hold?.model ?? '',
          );
        return { reservation: { id: Number(result.lastInsertRowid), keyId, accountId: key.accountId, requestId, micros } };
      })
      .immediate();
    if (admission.reservation) this.open.add(admission.reservation.id);
    return admission;
  }

  async renewLeases(): Promise<number> {
    const ids = this.open.list();
    if (ids.length === 0) return 0;
    const result = this.db
      .prepare(`UPDATE reservations SET expires_at = ? WHERE owner = ? AND id IN (SELECT value FROM json_each(?))`)
      .run(this.open.expiryFromNow().toISOString(), this.open.owner, JSON.stringify(ids));
    return result.changes;
  }

  async expireReservations(): Promise<number> {
    return this.db
      .transaction((): number => {
        // biome-ignore lint/suspicious/noExplicitAny: better-sqlite3 rows are untyped; sqlite-schema.ts defines their columns
        const expired = this.db.prepare('SELECT * FROM reservations WHERE expires_at < ?').all(now()) as any[];
        for (const row of expired) {
          this.settle(row.id, false);
          this.insertUsage({
            requestId: row.request_id,
            keyId: row.key_id,
            accountId: row.account_id,
            route: row.route,
            model: row.model,
            status: EXPIRED_RESERVATION_STATUS,
            durationMs: Math.max(0, Date.now() - Date.parse(row.created_at)),
            inputPixels: 0,
            outputPixels: 0,
            chargedMicros: 0,
          });
        }
        return expired.length;
      })
      .immediate();
  }

  async commit(reservation: Reservation, usage: UsageInput): Promise<Balance> {
    await this.open.ending(reservation.id, () => this.commitNow(reservation, usage));
    return this.balanceOf(reservation.accountId);
  }

  private commitNow(reservation: Reservation, usage: UsageInput): void {
    this.db
      .transaction(() => {
        if (!this.settle(reservation.id, true)) throw new Error(`reservation ${reservation.id} is not open`);
        this.insertUsage({
          ...usage,
          keyId: reservation.keyId,
          accountId: reservation.accountId,
          chargedMicros: reservation.micros,
        });
      })
      .immediate();
  }

  /**
   * Ends an open reservation inside the caller's transaction: the hold leaves the account and the key,
   * and a charge (when `charge`) leaves the balance and counts in the key's current period. Returns false
   * when the reservation was not open.
   */
  private settle(id: number, charge: boolean): boolean {
    const row = this.db.prepare('DELETE FROM reservations WHERE id = ? RETURNING key_id, account_id, micros').get(id) as
      | { key_id: string; account_id: string; micros: number }
      | undefined;
    if (!row) return false;
    const charged = charge ? row.micros : 0;
    this.db
      .prepare('UPDATE accounts SET balance_micros = balance_micros - ?, reserved_micros = reserved_micros - ? WHERE id = ?')
      .run(charged, row.micros, row.account_id);
    const key = accounts.getKey(this.db, row.key_id);
    if (key) {
      const start = periodStart(key.limits.period, new Date()).toISOString();
      const spent = Date.parse(key.spendPeriodStart) === Date.parse(start) ? key.spendMicros : 0;
      this.db
        .prepare(
          'UPDATE api_keys SET spend_period_start = ?, spend_micros = ?, spend_reserved_micros = spend_reserved_micros - ? WHERE id = ?',
        )
        .run(start, spent + charged, row.micros, row.key_id);
    }
    return true;
  }

  async release(reservation: Reservation, usage: UsageInput): Promise<void> {
    await this.open.ending(reservation.id, () =>
      this.db
        .transaction(() => {
          // A reservation already released (or expired) is not released twice, nor is its usage row written twice.
          if (this.settle(reservation.id, false)) {
            this.insertUsage({ ...usage, keyId: reservation.keyId, accountId: reservation.accountId, chargedMicros: 0 });
          }
        })
        .immediate(),
    );
  }

  async listUsage(filter: UsageFilter): Promise<UsageRow[]> {
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
    return this.db
      .prepare(sql)
      .all(...params)
      .map((row) => toUsage(row as DbRow));
  }

  async chargesPage(query: ChargesQuery): Promise<ChargeRow[]> {
    const rows = this.db
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

  async ledgerTotals(accountId: string): Promise<{ creditsMicros: number; chargesMicros: number }> {
    const credits = this.db
      .prepare('SELECT COALESCE(SUM(micros), 0) AS s FROM credit_grants WHERE account_id = ?')
      .get(accountId) as { s: number };
    const charges = this.db
      .prepare('SELECT COALESCE(SUM(charged_micros), 0) AS s FROM usage WHERE account_id = ?')
      .get(accountId) as { s: number };
    return { creditsMicros: credits.s, chargesMicros: charges.s };
  }

  async getIdempotent(keyId: string, idempotencyKey: string, notBefore: Date): Promise<IdempotentRecord | null> {
    const row = this.db
      .prepare('SELECT * FROM idempotency WHERE key_id = ? AND idempotency_key = ? AND created_at >= ?')
      .get(keyId, idempotencyKey, notBefore.toISOString());
    return row ? toIdempotent(row as DbRow) : null;
  }

  async putIdempotent(record: IdempotentRecord): Promise<void> {
    // An expired record under the same key is replaced: the key is free again after the retention window.
    this.db
      .prepare(
        `INSERT OR REPLACE INTO idempotency
         (key_id, idempotency_key, request_hash, body, content_type, charged_micros, created_at, blurred, enhanced_prompt)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
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

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private balanceOf(accountId: string): Balance {
    const row = this.db.prepare('SELECT balance_micros, reserved_micros FROM accounts WHERE id = ?').get(accountId) as
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

  private insertUsage(usage: UsageInput & { keyId: string; accountId: string; chargedMicros: number }): void {
    this.db
      .prepare(
        `INSERT INTO usage (request_id, key_id, account_id, route, model, charged_micros, status, duration_ms,
                            input_pixels, output_pixels, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(...usageValues(usage), now());
  }
}

function now(): string {
  return new Date().toISOString();
}

function assertMicros(micros: number): void {
  if (!Number.isSafeInteger(micros) || micros < 0)
    throw new Error(`Expected a non-negative integer of micro-dollars but received ${micros}`);
}
