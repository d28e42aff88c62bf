import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { OpenReservations } from './open-reservations.js';
import { type DbRow, toIdempotent, toUsage, usageValues } from './rows.js';
import { MIGRATIONS } from './sqlite-schema.js';
import {
  EXPIRED_RESERVATION_STATUS,
  type LeaseOptions,
  type ReservationHold,
  type Balance,
  type IdempotentRecord,
  type KeyRecord,
  type NewKey,
  type Reservation,
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

  async createKey(input: NewKey): Promise<KeyRecord> {
    const createdAt = now();
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO api_keys (id, name, key_hash, display_prefix, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(input.id, input.name, input.hash, input.displayPrefix, createdAt);
      this.db.prepare('INSERT INTO balances (key_id, balance_micros) VALUES (?, 0)').run(input.id);
    })();
    return { id: input.id, name: input.name, displayPrefix: input.displayPrefix, createdAt, revokedAt: null };
  }

  async findKeyByHash(hash: string): Promise<KeyRecord | null> {
    return toKey(this.db.prepare('SELECT * FROM api_keys WHERE key_hash = ?').get(hash));
  }

  async getKey(id: string): Promise<KeyRecord | null> {
    return toKey(this.db.prepare('SELECT * FROM api_keys WHERE id = ?').get(id));
  }

  async listKeys(): Promise<KeyRecord[]> {
    return this.db
      .prepare('SELECT * FROM api_keys ORDER BY created_at, id')
      .all()
      .map((row) => toKey(row)!);
  }

  async revokeKey(id: string): Promise<boolean> {
    const result = this.db.prepare('UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?').run(now(), id);
    return result.changes > 0;
  }

  async countKeys(): Promise<number> {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM api_keys').get() as { n: number }).n;
  }

  async addCredits(keyId: string, micros: number, note: string): Promise<Balance> {
    assertMicros(micros);
    this.db
      .transaction(() => {
        this.db
          .prepare('INSERT INTO credit_grants (key_id, micros, note, created_at) VALUES (?, ?, ?, ?)')
          .run(keyId, micros, note, now());
        this.db.prepare('UPDATE balances SET balance_micros = balance_micros + ? WHERE key_id = ?').run(micros, keyId);
      })
      .immediate();
    return this.balanceOf(keyId);
  }

  async getBalance(keyId: string): Promise<Balance> {
    return this.balanceOf(keyId);
  }

  async reserve(keyId: string, requestId: string, micros: number, hold?: ReservationHold): Promise<Reservation | null> {
    assertMicros(micros);
    const reservation = this.db
      .transaction((): Reservation | null => {
        const { availableMicros } = this.balanceOf(keyId);
        if (availableMicros < micros) return null;
        const result = this.db
          .prepare(
            `INSERT INTO reservations (key_id, request_id, micros, created_at, owner, expires_at, route, model)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            keyId,
            requestId,
            micros,
            now(),
            this.open.owner,
            this.open.expiryFromNow().toISOString(),
            hold?.route ?? '',
            hold?.model ?? '',
          );
        return { id: Number(result.lastInsertRowid), keyId, requestId, micros };
      })
      .immediate();
    if (reservation) this.open.add(reservation.id);
    return reservation;
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
          this.db.prepare('DELETE FROM reservations WHERE id = ?').run(row.id);
          this.insertUsage({
            requestId: row.request_id,
            keyId: row.key_id,
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
    return this.balanceOf(reservation.keyId);
  }

  private commitNow(reservation: Reservation, usage: UsageInput): void {
    this.db
      .transaction(() => {
        const removed = this.db.prepare('DELETE FROM reservations WHERE id = ?').run(reservation.id);
        if (removed.changes !== 1) throw new Error(`reservation ${reservation.id} is not open`);
        this.db
          .prepare('UPDATE balances SET balance_micros = balance_micros - ? WHERE key_id = ?')
          .run(reservation.micros, reservation.keyId);
        this.insertUsage({ ...usage, keyId: reservation.keyId, chargedMicros: reservation.micros });
      })
      .immediate();
  }

  async release(reservation: Reservation, usage: UsageInput): Promise<void> {
    await this.open.ending(reservation.id, () =>
      this.db
        .transaction(() => {
          const removed = this.db.prepare('DELETE FROM reservations WHERE id = ?').run(reservation.id);
          // A reservation already released (or expired) is not released twice, nor is its usage row written twice.
          if (removed.changes === 1) this.insertUsage({ ...usage, keyId: reservation.keyId, chargedMicros: 0 });
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

  async ledgerTotals(keyId: string): Promise<{ creditsMicros: number; chargesMicros: number }> {
    const credits = this.db.prepare('SELECT COALESCE(SUM(micros), 0) AS s FROM credit_grants WHERE key_id = ?').get(keyId) as {
      s: number;
    };
    const charges = this.db.prepare('SELECT COALESCE(SUM(charged_micros), 0) AS s FROM usage WHERE key_id = ?').get(keyId) as {
      s: number;
    };
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

  private balanceOf(keyId: string): Balance {
    const row = this.db
      .prepare(
        `SELECT b.balance_micros AS balance,
                (SELECT COALESCE(SUM(micros), 0) FROM reservations r WHERE r.key_id = b.key_id) AS reserved
         FROM balances b WHERE b.key_id = ?`,
      )
      .get(keyId) as { balance: number; reserved: number } | undefined;
    if (!row) throw new Error(`unknown key ${keyId}`);
    return {
      keyId,
      balanceMicros: row.balance,
      reservedMicros: row.reserved,
      availableMicros: row.balance - row.reserved,
    };
  }

  private insertUsage(usage: UsageInput & { keyId: string; chargedMicros: number }): void {
    this.db
      .prepare(
        `INSERT INTO usage (request_id, key_id, route, model, charged_micros, status, duration_ms,
                            input_pixels, output_pixels, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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

function toKey(row: unknown): KeyRecord | null {
  if (!row) return null;
  const r = row as { id: string; name: string; display_prefix: string; created_at: string; revoked_at: string | null };
  return { id: r.id, name: r.name, displayPrefix: r.display_prefix, createdAt: r.created_at, revokedAt: r.revoked_at };
}
