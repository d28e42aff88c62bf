import pg from 'pg';
import { OpenReservations } from '../open-reservations.js';
import {
  EXPIRED_RESERVATION_STATUS,
  type Balance,
  type IdempotentRecord,
  type KeyRecord,
  type LeaseOptions,
  type NewKey,
  type Reservation,
  type ReservationHold,
  type Store,
  type UsageFilter,
  type UsageInput,
  type UsageRow,
} from '../store.js';
import { migrate } from './migrate.js';
import { POSTGRES_MIGRATIONS } from './migrations.js';
import { toBalance, toIdempotent, toKey, toUsage, usageValues } from '../rows.js';
import { asUnavailable } from './unavailable.js';

export interface PostgresStoreOptions extends LeaseOptions {
  connectionString: string;
  /** Connections in the pool; each replica holds up to this many. */
  poolSize?: number;
}

/**
 * The store on PostgreSQL, for several replicas sharing one database. Every money operation is one
 * transaction: `reserve` is a conditional UPDATE of the key's balance row (which takes its row lock), so
 * concurrent requests on any replicas queue on that row and can never hold more than the balance.
 * Migrations run on first use; every method waits for them, and the first call reports their failure.
 */
export class PostgresStore implements Store {
  private readonly pool: pg.Pool;
  private readonly open: OpenReservations;
  private readonly ready: Promise<unknown>;

  constructor(options: PostgresStoreOptions, onPoolError: (error: Error) => void = () => {}) {
    this.open = new OpenReservations(options);
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 5_000,
    });
    // An idle connection broken by a database restart emits 'error' on the pool; without a listener that
    // would end the process. The next query simply opens a new connection.
    this.pool.on('error', onPoolError);
    this.ready = migrate(this.pool, POSTGRES_MIGRATIONS);
    this.ready.catch(() => {}); // reported by the first call that awaits it
  }

  private async query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string,
    params: unknown[] = [],
  ): Promise<pg.QueryResult<R>> {
    try {
      await this.ready;
      return await this.pool.query<R>(sql, params);
    } catch (error) {
      throw asUnavailable(error);
    }
  }

  /** Runs `work` in one transaction on one connection; any error rolls it back. */
  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      await this.ready;
      client = await this.pool.connect();
    } catch (error) {
      throw asUnavailable(error);
    }
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw asUnavailable(error);
    } finally {
      client.release();
    }
  }

  async createKey(input: NewKey): Promise<KeyRecord> {
    const createdAt = new Date().toISOString();
    await this.transaction(async (db) => {
      await db.query('INSERT INTO api_keys (id, name, key_hash, display_prefix, created_at) VALUES ($1, $2, $3, $4, $5)', [
        input.id,
        input.name,
        input.hash,
        input.displayPrefix,
        createdAt,
      ]);
      await db.query('INSERT INTO balances (key_id, balance_micros) VALUES ($1, 0)', [input.id]);
    });
    return { id: input.id, name: input.name, displayPrefix: input.displayPrefix, createdAt, revokedAt: null };
  }

  async findKeyByHash(hash: string): Promise<KeyRecord | null> {
    return toKey((await this.query('SELECT * FROM api_keys WHERE key_hash = $1', [hash])).rows[0]);
  }

  async getKey(id: string): Promise<KeyRecord | null> {
    return toKey((await this.query('SELECT * FROM api_keys WHERE id = $1', [id])).rows[0]);
  }

  async listKeys(): Promise<KeyRecord[]> {
    return (await this.query('SELECT * FROM api_keys ORDER BY created_at, id')).rows.map((row) => toKey(row)!);
  }

  async revokeKey(id: string): Promise<boolean> {
    const result = await this.query('UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1', [id]);
    return (result.rowCount ?? 0) > 0;
  }

  async countKeys(): Promise<number> {
    return Number((await this.query('SELECT COUNT(*) AS n FROM api_keys')).rows[0].n);
  }

  async addCredits(keyId: string, micros: number, note: string): Promise<Balance> {
    assertMicros(micros);
    return this.transaction(async (db) => {
      await db.query('INSERT INTO credit_grants (key_id, micros, note) VALUES ($1, $2, $3)', [keyId, micros, note]);
      const { rows } = await db.query('UPDATE balances SET balance_micros = balance_micros + $2 WHERE key_id = $1 RETURNING *', [
        keyId,
        micros,
      ]);
      return toBalance(rows[0], keyId);
    });
  }

  async getBalance(keyId: string): Promise<Balance> {
    return toBalance((await this.query('SELECT * FROM balances WHERE key_id = $1', [keyId])).rows[0], keyId);
  }

  async reserve(keyId: string, requestId: string, micros: number, hold?: ReservationHold): Promise<Reservation | null> {
    assertMicros(micros);
    // One statement, so one round trip and its own transaction: the conditional UPDATE takes the balance
    // row's lock (concurrent reservations of the key queue on it) and the INSERT happens only if it held.
    const { rows } = await this.query(
      `WITH held AS (
         UPDATE balances SET reserved_micros = reserved_micros + $3
         WHERE key_id = $1 AND balance_micros - reserved_micros >= $3
         RETURNING key_id)
       INSERT INTO reservations (key_id, request_id, micros, route, model, owner, expires_at)
       SELECT key_id, $2, $3, $4, $5, $6, now() + $7 * interval '1 millisecond' FROM held
       RETURNING id`,
      [keyId, requestId, micros, hold?.route ?? '', hold?.model ?? '', this.open.owner, this.open.leaseMs],
    );
    if (rows.length === 0) return null;
    const reservation = { id: Number(rows[0].id), keyId, requestId, micros };
    this.open.add(reservation.id);
    return reservation;
  }

  async renewLeases(): Promise<number> {
    const ids = this.open.list();
    if (ids.length === 0) return 0;
    const result = await this.query(
      `UPDATE reservations SET expires_at = now() + $3 * interval '1 millisecond' WHERE owner = $1 AND id = ANY($2::bigint[])`,
      [this.open.owner, ids, this.open.leaseMs],
    );
    return result.rowCount ?? 0;
  }

  async expireReservations(): Promise<number> {
    return this.transaction(async (db) => {
      // SKIP LOCKED: replicas sweeping at the same moment split the work instead of waiting on each other,
      // and a reservation being committed right now (row locked) is left to its owner.
      const { rows } = await db.query(
        `DELETE FROM reservations WHERE id IN (
           SELECT id FROM reservations WHERE expires_at < now() FOR UPDATE SKIP LOCKED)
         RETURNING *, (extract(epoch FROM now() - created_at) * 1000)::integer AS age_ms`,
      );
      for (const row of rows) {
        await db.query('UPDATE balances SET reserved_micros = reserved_micros - $2 WHERE key_id = $1', [row.key_id, row.micros]);
        await insertUsage(db, {
          requestId: row.request_id,
          keyId: row.key_id,
          route: row.route,
          model: row.model,
          status: EXPIRED_RESERVATION_STATUS,
          durationMs: row.age_ms,
          inputPixels: 0,
          outputPixels: 0,
          chargedMicros: 0,
        });
      }
      return rows.length;
    });
  }

  async commit(reservation: Reservation, usage: UsageInput): Promise<Balance> {
    const rows = await this.open.ending(reservation.id, () => this.endReservation(reservation.id, usage, true));
    if (rows.length !== 1) throw new Error(`reservation ${reservation.id} is not open`);
    return toBalance(rows[0], reservation.keyId);
  }

  async release(reservation: Reservation, usage: UsageInput): Promise<void> {
    // Already released or expired: the statement finds no row, gives nothing back, writes no second usage row.
    await this.open.ending(reservation.id, () => this.endReservation(reservation.id, usage, false));
  }

  /**
   * Deletes the reservation, charges it (or not) and writes its usage row in one statement (data-modifying
   * CTEs run once, atomically). Returns the key's balance row, or no row when the reservation was not open.
   */
  private async endReservation(id: number, usage: UsageInput, charge: boolean): Promise<pg.QueryResultRow[]> {
    const { rows } = await this.query(
      `WITH removed AS (DELETE FROM reservations WHERE id = $1 RETURNING key_id, micros),
       settled AS (
         UPDATE balances b
         SET balance_micros = b.balance_micros - CASE WHEN $2 THEN r.micros ELSE 0 END,
             reserved_micros = b.reserved_micros - r.micros
         FROM removed r WHERE b.key_id = r.key_id
         RETURNING b.*),
       logged AS (
         INSERT INTO usage (request_id, key_id, route, model, charged_micros, status, duration_ms, input_pixels, output_pixels)
         SELECT $3, r.key_id, $4, $5, CASE WHEN $2 THEN r.micros ELSE 0 END, $6, $7, $8, $9 FROM removed r)
       SELECT * FROM settled`,
      [
        id,
        charge,
        usage.requestId,
        usage.route,
        usage.model,
        usage.status,
        Math.round(usage.durationMs),
        usage.inputPixels,
        usage.outputPixels,
      ],
    );
    return rows;
  }

  async listUsage(filter: UsageFilter): Promise<UsageRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.keyId) {
      params.push(filter.keyId);
      where.push(`key_id = $${params.length}`);
    }
    if (filter.since) {
      params.push(filter.since);
      where.push(`created_at >= $${params.length}`);
    }
    const limit = Math.max(1, Math.min(filter.limit ?? 1000, 100_000));
    const sql = `SELECT * FROM usage ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ${limit}`;
    return (await this.query(sql, params)).rows.map(toUsage);
  }

  async ledgerTotals(keyId: string): Promise<{ creditsMicros: number; chargesMicros: number }> {
    const { rows } = await this.query(
      `SELECT (SELECT COALESCE(SUM(micros), 0) FROM credit_grants WHERE key_id = $1) AS credits,
              (SELECT COALESCE(SUM(charged_micros), 0) FROM usage WHERE key_id = $1) AS charges`,
      [keyId],
    );
    return { creditsMicros: Number(rows[0].credits), chargesMicros: Number(rows[0].charges) };
  }

  async getIdempotent(keyId: string, idempotencyKey: string, notBefore: Date): Promise<IdempotentRecord | null> {
    const { rows } = await this.query(
      'SELECT * FROM idempotency WHERE key_id = $1 AND idempotency_key = $2 AND created_at >= $3',
      [keyId, idempotencyKey, notBefore],
    );
    return rows[0] ? toIdempotent(rows[0]) : null;
  }

  async putIdempotent(record: IdempotentRecord): Promise<void> {
    // An expired record under the same key is replaced: the key is free again after the retention window.
    await this.query(
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

  async close(): Promise<void> {
    await this.ready.catch(() => {});
    await this.pool.end();
  }
}

async function insertUsage(
  db: pg.Pool | pg.PoolClient,
  usage: UsageInput & { keyId: string; chargedMicros: number },
): Promise<void> {
  await db.query(
    `INSERT INTO usage (request_id, key_id, route, model, charged_micros, status, duration_ms, input_pixels, output_pixels)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    usageValues(usage),
  );
}

function assertMicros(micros: number): void {
  if (!Number.isSafeInteger(micros) || micros < 0)
    throw new Error(`Expected a non-negative integer of micro-dollars but received ${micros}`);
}
