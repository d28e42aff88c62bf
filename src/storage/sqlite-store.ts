import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { OpenReservations } from './open-reservations.js';
import * as accounts from './sqlite-accounts.js';
import * as ledger from './sqlite-ledger.js';
import * as money from './sqlite-money.js';
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
        return money.admitNow(this.db, {
          keyId,
          requestId,
          micros,
          hold,
          owner: this.open.owner,
          expiresAt: this.open.expiryFromNow(),
        });
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
    return this.open.ending(reservation.id, () => this.commitNow(reservation, usage));
  }

  private commitNow(reservation: Reservation, usage: UsageInput): Balance {
    return this.db
      .transaction((): Balance => {
        const balance = this.settle(reservation.id, true);
        if (!balance) throw new Error(`reservation ${reservation.id} is not open`);
        this.insertUsage({
          ...usage,
          keyId: reservation.keyId,
          accountId: reservation.accountId,
          chargedMicros: reservation.micros,
        });
        return balance;
      })
      .immediate();
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
    return ledger.listUsage(this.db, filter);
  }

  async chargesPage(query: ChargesQuery): Promise<ChargeRow[]> {
    return ledger.chargesPage(this.db, query);
  }

  async ledgerTotals(accountId: string): Promise<{ creditsMicros: number; chargesMicros: number }> {
    return ledger.ledgerTotals(this.db, accountId);
  }

  async getIdempotent(keyId: string, idempotencyKey: string, notBefore: Date): Promise<IdempotentRecord | null> {
    return ledger.getIdempotent(this.db, keyId, idempotencyKey, notBefore);
  }

  async putIdempotent(record: IdempotentRecord): Promise<void> {
    ledger.putIdempotent(this.db, record);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private balanceOf(accountId: string): Balance {
    return money.balanceOf(this.db, accountId);
  }

  private settle(id: number, charge: boolean): Balance | null {
    return money.settle(this.db, id, charge);
  }

  private insertUsage(usage: UsageInput & { keyId: string; accountId: string; chargedMicros: number }): void {
    money.insertUsage(this.db, usage);
  }
}

function now(): string {
  return new Date().toISOString();
}

function assertMicros(micros: number): void {
  if (!Number.isSafeInteger(micros) || micros < 0)
    throw new Error(`Expected a non-negative integer of micro-dollars but received ${micros}`);
}
