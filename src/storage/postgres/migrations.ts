import { ACCOUNTS_MIGRATION } from './accounts-migration.js';
import { ADMIT_SETTLE_MIGRATION } from './admit-settle-migration.js';

/**
 * The PostgreSQL schema, as numbered steps applied in order by `migrate.ts`; the table
 * `schema_migrations` records which a database has had. Append new steps; never edit a released one.
 * Money is BIGINT micro-dollars; times are timestamptz from the database's clock, which every replica
 * shares (leases are compared with `now()` on the server, never with a replica's clock).
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'accounts, reservations, usage, idempotency',
    sql: `
      CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        key_hash TEXT NOT NULL UNIQUE,
        display_prefix TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        revoked_at TIMESTAMPTZ
      );

      -- Credits added to a key, append-only.
      CREATE TABLE credit_grants (
        id BIGSERIAL PRIMARY KEY,
        key_id TEXT NOT NULL REFERENCES api_keys(id),
        micros BIGINT NOT NULL CHECK (micros >= 0),
        note TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );

      -- One row per key: the balance (credits minus charges) and the sum of its open reservations, kept in
      -- step with the ledgers in the same transactions. The CHECKs make overspending impossible even for
      -- a faulty caller: a reservation that would exceed the balance fails.
      CREATE TABLE balances (
        key_id TEXT PRIMARY KEY REFERENCES api_keys(id),
        balance_micros BIGINT NOT NULL CHECK (balance_micros >= 0),
        reserved_micros BIGINT NOT NULL DEFAULT 0 CHECK (reserved_micros >= 0),
        CHECK (reserved_micros <= balance_micros)
      );

      -- Holds of requests in flight, leased by the server process (owner) that made them.
      CREATE TABLE reservations (
        id BIGSERIAL PRIMARY KEY,
        key_id TEXT NOT NULL REFERENCES api_keys(id),
        request_id TEXT NOT NULL,
        micros BIGINT NOT NULL CHECK (micros >= 0),
        route TEXT NOT NULL,
        model TEXT NOT NULL,
        owner TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        expires_at TIMESTAMPTZ NOT NULL
      );
      CREATE INDEX reservations_expiry ON reservations(expires_at);
      CREATE INDEX reservations_owner ON reservations(owner);

      -- The usage ledger, append-only.
      CREATE TABLE usage (
        id BIGSERIAL PRIMARY KEY,
        request_id TEXT NOT NULL,
        key_id TEXT NOT NULL,
        route TEXT NOT NULL,
        model TEXT NOT NULL,
        charged_micros BIGINT NOT NULL,
        status INTEGER NOT NULL,
        duration_ms INTEGER NOT NULL,
        input_pixels BIGINT NOT NULL,
        output_pixels BIGINT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
      CREATE INDEX usage_key_time ON usage(key_id, created_at);

      CREATE TABLE idempotency (
        key_id TEXT NOT NULL,
        idempotency_key TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        body BYTEA NOT NULL,
        content_type TEXT NOT NULL,
        charged_micros BIGINT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (key_id, idempotency_key)
      );
    `,
  },
  {
    version: 2,
    name: "replays repeat the first answer's headers",
    sql: `
      ALTER TABLE idempotency ADD COLUMN blurred BOOLEAN NOT NULL DEFAULT false;
      ALTER TABLE idempotency ADD COLUMN enhanced_prompt TEXT;
    `,
  },
  {
    version: 3,
    name: 'accounts hold the money; ADMIN and INFERENCE keys with expiry and spend limits',
    sql: ACCOUNTS_MIGRATION,
  },
  {
    version: 4,
    name: 'admission and settlement in fewer statements',
    sql: ADMIT_SETTLE_MIGRATION,
  },
];
