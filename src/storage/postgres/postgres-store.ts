import pg from 'pg';
import { OpenReservations } from '../open-reservations.js';
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
} from '../store.js';
import { withCheckedOutClient } from './checked-out-client.js';
import { migrate } from './migrate.js';
import { POSTGRES_MIGRATIONS } from './migrations.js';
import * as accounts from './postgres-accounts.js';
import * as ledger from './postgres-ledger.js';
import { toBalance } from '../rows.js';
import { asUnavailable } from './unavailable.js';

export interface PostgresStoreOptions extends LeaseOptions {
  connectionString: string;
  /** Connections in the pool; each replica holds up to this many. */
  poolSize?: number;
}

/**
 * The store on PostgreSQL, for several replicas sharing one database. Every money operation is one
 * statement calling a function of the schema (`retouch_admit`, `retouch_settle`: accounts-migration.ts)
 * that locks the account's row, then the key's: concurrent requests on any replicas queue on that row and
 * can never hold more than the balance, nor a key more than its spend limit.
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

  /** Accounts and keys (postgres-accounts.ts) reach the database through these two. */
  private readonly access: accounts.PgAccess = {
    query: (sql, params) => this.query(sql, params),
    transaction: (work) => this.transaction(work),
  };

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
    try {
      await this.ready;
      return await withCheckedOutClient(this.pool, async (client) => {
        try {
          await client.query('BEGIN');
          const result = await work(client);
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {});
          throw error;
        }
      });
    } catch (error) {
      throw asUnavailable(error);
    }
  }

  async createAccount(input: NewAccount): Promise<AccountRecord> {
    return accounts.createAccount(this.access, input);
  }

  async getAccount(id: string): Promise<AccountRecord | null> {
    return accounts.getAccount(this.access, id);
  }

  async listAccounts(): Promise<AccountRecord[]> {
    return accounts.listAccounts(this.access);
  }

  async createKey(input: NewKey, actor: string): Promise<KeyRecord> {
    return accounts.createKey(this.access, input, actor);
  }

  async findKeyByHash(hash: string): Promise<KeyRecord | null> {
    return accounts.findKeyByHash(this.access, hash);
  }

  async getKey(id: string): Promise<KeyRecord | null> {
    return accounts.getKey(this.access, id);
  }

  async listKeys(accountId?: string): Promise<KeyRecord[]> {
    return accounts.listKeys(this.access, accountId);
  }

  async updateKey(accountId: string, id: string, patch: KeyPatch, actor: string): Promise<KeyRecord | null> {
    return accounts.updateKey(this.access, accountId, id, patch, actor);
  }

  async revokeKey(id: string, actor = 'cli', accountId?: string): Promise<boolean> {
    return accounts.revokeKey(this.access, id, actor, accountId);
  }

  async countKeys(): Promise<number> {
    return Number((await this.query('SELECT COUNT(*) AS n FROM api_keys')).rows[0].n);
  }

  async keyChargesSince(accountId: string, since: Date): Promise<Map<string, number>> {
    return accounts.keyChargesSince(this.access, accountId, since);
  }

  async recordLimitBreach(breach: LimitBreach): Promise<void> {
    await accounts.recordLimitBreach(this.access, breach);
  }

  async listLimitBreaches(accountId: string): Promise<LimitBreachRow[]> {
    return accounts.listLimitBreaches(this.access, accountId);
  }

  async listAudit(accountId: string): Promise<AuditRow[]> {
    return accounts.listAudit(this.access, accountId);
  }

  async addCredits(accountId: string, micros: number, note: string, actor = 'cli'): Promise<Balance> {
    assertMicros(micros);
    return this.transaction(async (db) => {
      const { rows } = await db.query('UPDATE accounts SET balance_micros = balance_micros + $2 WHERE id = $1 RETURNING *', [
        accountId,
        micros,
      ]);
      const balance = toBalance(rows[0], accountId);
      await db.query('INSERT INTO credit_grants (account_id, micros, note, actor) VALUES ($1, $2, $3, $4)', [
        accountId,
        micros,
        note,
        actor,
      ]);
      await accounts.audit(db, accountId, actor, 'credit', null, { micros, note });
      return balance;
    });
  }

  async getBalance(accountId: string): Promise<Balance> {
    return toBalance((await this.query('SELECT * FROM accounts WHERE id = $1', [accountId])).rows[0], accountId);
  }

  async reserve(keyId: string, requestId: string, micros: number, hold?: ReservationHold): Promise<Reservation | null> {
    return (await this.admit(keyId, requestId, micros, hold)).reservation;
  }

  async admit(keyId: string, requestId: string, micros: number, hold?: ReservationHold): Promise<Admission> {
    assertMicros(micros);
    const { rows } = await this.query('SELECT * FROM retouch_admit($1, $2, $3, $4, $5, $6, $7)', [
      keyId,
      requestId,
      micros,
      hold?.route ?? '',
      hold?.model ?? '',
      this.open.owner,
      this.open.leaseMs,
    ]);
    const { reservation_id: id, account, refused } = rows[0];
    if (refused) return { reservation: null, refused };
    const reservation = { id: Number(id), keyId, accountId: account, requestId, micros };
    this.open.add(reservation.id);
    return { reservation };
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
        `SELECT id, request_id, route, model, (extract(epoch FROM now() - created_at) * 1000)::integer AS age_ms
         FROM reservations WHERE expires_at < now() ORDER BY id FOR UPDATE SKIP LOCKED`,
      );
      for (const row of rows) {
        await db.query('SELECT * FROM retouch_settle($1, false, $2, $3, $4, $5, $6, 0, 0)', [
          row.id,
          row.request_id,
          row.route,
          row.model,
          EXPIRED_RESERVATION_STATUS,
          row.age_ms,
        ]);
      }
      return rows.length;
    });
  }

  async commit(reservation: Reservation, usage: UsageInput): Promise<Balance> {
    const rows = await this.open.ending(reservation.id, () => this.endReservation(reservation.id, usage, true));
    if (rows.length !== 1) throw new Error(`reservation ${reservation.id} is not open`);
    return toBalance(rows[0], reservation.accountId);
  }

  async release(reservation: Reservation, usage: UsageInput): Promise<void> {
    // Already released or expired: the statement finds no row, gives nothing back, writes no second usage row.
    await this.open.ending(reservation.id, () => this.endReservation(reservation.id, usage, false));
  }

  /** Ends the reservation in one statement (retouch_settle); answers the account's row, none if it was not open. */
  private async endReservation(id: number, usage: UsageInput, charge: boolean): Promise<pg.QueryResultRow[]> {
    const { rows } = await this.query('SELECT * FROM retouch_settle($1, $2, $3, $4, $5, $6, $7, $8, $9)', [
      id,
      charge,
      usage.requestId,
      usage.route,
      usage.model,
      usage.status,
      Math.round(usage.durationMs),
      usage.inputPixels,
      usage.outputPixels,
    ]);
    return rows;
  }

  async listUsage(filter: UsageFilter): Promise<UsageRow[]> {
    return ledger.listUsage(this.access, filter);
  }

  async chargesPage(query: ChargesQuery): Promise<ChargeRow[]> {
    return ledger.chargesPage(this.access, query);
  }

  async ledgerTotals(accountId: string): Promise<{ creditsMicros: number; chargesMicros: number }> {
    return ledger.ledgerTotals(this.access, accountId);
  }

  async getIdempotent(keyId: string, idempotencyKey: string, notBefore: Date): Promise<IdempotentRecord | null> {
    return ledger.getIdempotent(this.access, keyId, idempotencyKey, notBefore);
  }

  async putIdempotent(record: IdempotentRecord): Promise<void> {
    await ledger.putIdempotent(this.access, record);
  }

  async close(): Promise<void> {
    await this.ready.catch(() => {});
    await this.pool.end();
  }
}

function assertMicros(micros: number): void {
  if (!Number.isSafeInteger(micros) || micros < 0)
    throw new Error(`Expected a non-negative integer of micro-dollars but received ${micros}`);
}
