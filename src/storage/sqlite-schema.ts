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
  // Accounts hold the money; keys belong to an account and are ADMIN or INFERENCE, with an expiry and a
  // spend limit. Each key of an older version becomes the only key of its own account, which takes the
  // key's balance, its credit grants, its open reservations and its usage rows (see migrations.test.ts).
  // Older keys could only call models: they become INFERENCE keys. Their spend counter starts from the
  // ledger's charges of today (EPOCH, the default period).
  `
  CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    balance_micros INTEGER NOT NULL,
    reserved_micros INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
  );
  INSERT INTO accounts (id, name, balance_micros, reserved_micros, created_at)
    SELECT CASE WHEN substr(k.id, 1, 4) = 'key_' THEN 'acct_' || substr(k.id, 5) ELSE 'acct_' || k.id END,
           k.name, COALESCE(b.balance_micros, 0),
           (SELECT COALESCE(SUM(r.micros), 0) FROM reservations r WHERE r.key_id = k.id), k.created_at
    FROM api_keys k LEFT JOIN balances b ON b.key_id = k.id;

  ALTER TABLE api_keys ADD COLUMN account_id TEXT REFERENCES accounts(id);
  ALTER TABLE api_keys ADD COLUMN api_key_type TEXT NOT NULL DEFAULT 'INFERENCE';
  ALTER TABLE api_keys ADD COLUMN last6 TEXT NOT NULL DEFAULT '';
  ALTER TABLE api_keys ADD COLUMN expires_at TEXT;
  ALTER TABLE api_keys ADD COLUMN last_used_at TEXT;
  ALTER TABLE api_keys ADD COLUMN limit_usd_micros INTEGER;
  ALTER TABLE api_keys ADD COLUMN limit_diem REAL;
  ALTER TABLE api_keys ADD COLUMN limit_period TEXT NOT NULL DEFAULT 'EPOCH';
  ALTER TABLE api_keys ADD COLUMN spend_period_start TEXT NOT NULL DEFAULT '1970-01-01T00:00:00.000Z';
  ALTER TABLE api_keys ADD COLUMN spend_micros INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE api_keys ADD COLUMN spend_reserved_micros INTEGER NOT NULL DEFAULT 0;
  UPDATE api_keys SET
    account_id = CASE WHEN substr(id, 1, 4) = 'key_' THEN 'acct_' || substr(id, 5) ELSE 'acct_' || id END,
    last_used_at = (SELECT MAX(u.created_at) FROM usage u WHERE u.key_id = api_keys.id),
    spend_period_start = strftime('%Y-%m-%dT00:00:00.000Z', 'now'),
    spend_micros = (SELECT COALESCE(SUM(u.charged_micros), 0) FROM usage u
                    WHERE u.key_id = api_keys.id AND u.created_at >= strftime('%Y-%m-%dT00:00:00.000Z', 'now')),
    spend_reserved_micros = (SELECT COALESCE(SUM(r.micros), 0) FROM reservations r WHERE r.key_id = api_keys.id);
  CREATE INDEX api_keys_account ON api_keys(account_id);

  -- Credits belong to the account now (SQLite cannot relax a NOT NULL column: the table is rebuilt).
  CREATE TABLE credit_grants_v4 (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    key_id TEXT,
    micros INTEGER NOT NULL,
    note TEXT NOT NULL,
    actor TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
  );
  INSERT INTO credit_grants_v4 (id, account_id, key_id, micros, note, created_at)
    SELECT g.id, k.account_id, g.key_id, g.micros, g.note, g.created_at FROM credit_grants g JOIN api_keys k ON k.id = g.key_id;
  DROP TABLE credit_grants;
  ALTER TABLE credit_grants_v4 RENAME TO credit_grants;
  CREATE INDEX credit_grants_account ON credit_grants(account_id);

  -- The running balances moved into accounts.
  DROP TABLE balances;

  ALTER TABLE reservations ADD COLUMN account_id TEXT NOT NULL DEFAULT '';
  UPDATE reservations SET account_id = (SELECT k.account_id FROM api_keys k WHERE k.id = reservations.key_id);

  ALTER TABLE usage ADD COLUMN account_id TEXT NOT NULL DEFAULT '';
  UPDATE usage SET account_id = COALESCE((SELECT k.account_id FROM api_keys k WHERE k.id = usage.key_id), '');
  CREATE INDEX usage_account ON usage(account_id, id);

  -- Who created, changed or revoked a key, or added credits.
  CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    key_id TEXT,
    details TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX audit_events_account ON audit_events(account_id, id);

  -- The newest refusals by a limit, per account (GET /api_keys/rate_limits/log).
  CREATE TABLE limit_breaches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id TEXT NOT NULL,
    key_id TEXT NOT NULL,
    model_id TEXT NOT NULL,
    limit_type TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX limit_breaches_account ON limit_breaches(account_id, id);
  `,
  // Nothing reads reservations by key any more (the account and key hold counters did away with the sums
  // over open reservations), and every reservation paid for this index twice: a page written when it is
  // made and one when it ends (bench/replicas/NOTES.md#accounting-with-spend-limits-made-cheap).
  `
  DROP INDEX reservations_key;
  `,
];
