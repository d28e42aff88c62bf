/**
 * The SQLite schema, applied in order; `PRAGMA user_version` records how many steps a database has had.
 * Append new steps; never edit a released one.
 */
export const MIGRATIONS: string[] = [
  `
  CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    display_prefix TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
  );

  -- Credits added to a key, append-only.
  CREATE TABLE credit_grants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key_id TEXT NOT NULL REFERENCES api_keys(id),
    micros INTEGER NOT NULL,
    note TEXT NOT NULL,
    created_at TEXT NOT NULL
  );

  -- The running balance (credits minus committed charges), kept in step with the two ledgers
  -- in the same transactions so that the hot path reads one row.
  CREATE TABLE balances (
    key_id TEXT PRIMARY KEY REFERENCES api_keys(id),
    balance_micros INTEGER NOT NULL
  );

  -- Holds of in-flight requests; a row lives from reservation to commit or release.
  CREATE TABLE reservations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key_id TEXT NOT NULL REFERENCES api_keys(id),
    request_id TEXT NOT NULL,
    micros INTEGER NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX reservations_key ON reservations(key_id);

  -- The usage ledger, append-only: one row per request that reached the engine stage or was refused for money.
  CREATE TABLE usage (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id TEXT NOT NULL,
    key_id TEXT NOT NULL,
    route TEXT NOT NULL,
    model TEXT NOT NULL,
    charged_micros INTEGER NOT NULL,
    status INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    input_pixels INTEGER NOT NULL,
    output_pixels INTEGER NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX usage_key_time ON usage(key_id, created_at);

  CREATE TABLE idempotency (
    key_id TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    body BLOB NOT NULL,
    content_type TEXT NOT NULL,
    charged_micros INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (key_id, idempotency_key)
  );
  `,
  // Leased reservations: the owner (server process) that holds each one and when its lease ends, and
  // what it was for, so that expiry can write its usage row. Rows of older versions have an empty
  // expiry, which sorts before every timestamp: they are expired at once.
  `
  ALTER TABLE reservations ADD COLUMN owner TEXT NOT NULL DEFAULT '';
  ALTER TABLE reservations ADD COLUMN expires_at TEXT NOT NULL DEFAULT '';
  ALTER TABLE reservations ADD COLUMN route TEXT NOT NULL DEFAULT '';
  ALTER TABLE reservations ADD COLUMN model TEXT NOT NULL DEFAULT '';
  CREATE INDEX reservations_expiry ON reservations(expires_at);
  `,
  // A replay repeats the first answer's headers: whether safe mode blurred it, and the enhanced prompt.
  `
  ALTER TABLE idempotency ADD COLUMN blurred INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE idempotency ADD COLUMN enhanced_prompt TEXT;
  `,
];
