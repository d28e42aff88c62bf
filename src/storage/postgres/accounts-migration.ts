/**
 * Migration 3 of the PostgreSQL schema: accounts hold the money; keys belong to an account and are ADMIN
 * or INFERENCE, with an expiry and a spend limit. Each key of an older version becomes the only key of its
 * own account, which takes the key's balance, credit grants, open reservations and usage rows; older keys
 * could only call models, so they become INFERENCE keys (see test/storage/migrations.test.ts).
 *
 * The money functions are PL/pgSQL so that each admission or settlement is one round trip and takes its
 * locks in one order everywhere: the account's row, then the key's row. Concurrent requests of an account,
 * on any replica, queue on the account row, which makes the balance and every key's limit exact.
 */
export const ACCOUNTS_MIGRATION = `
  CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    balance_micros BIGINT NOT NULL CHECK (balance_micros >= 0),
    reserved_micros BIGINT NOT NULL DEFAULT 0 CHECK (reserved_micros >= 0),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (reserved_micros <= balance_micros)
  );
  INSERT INTO accounts (id, name, balance_micros, reserved_micros, created_at)
    SELECT CASE WHEN k.id LIKE 'key\\_%' THEN 'acct_' || substr(k.id, 5) ELSE 'acct_' || k.id END,
           k.name, COALESCE(b.balance_micros, 0), COALESCE(b.reserved_micros, 0), k.created_at
    FROM api_keys k LEFT JOIN balances b ON b.key_id = k.id;

  CREATE FUNCTION retouch_period_start(period TEXT, at TIMESTAMPTZ) RETURNS TIMESTAMPTZ
  LANGUAGE sql IMMUTABLE AS $fn$
    SELECT CASE period
      WHEN 'EPOCH' THEN date_trunc('day', at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
      WHEN 'MONTH' THEN date_trunc('month', at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
      ELSE 'epoch'::timestamptz END
  $fn$;

  ALTER TABLE api_keys
    ADD COLUMN account_id TEXT REFERENCES accounts(id),
    ADD COLUMN api_key_type TEXT NOT NULL DEFAULT 'INFERENCE' CHECK (api_key_type IN ('ADMIN', 'INFERENCE')),
    ADD COLUMN last6 TEXT NOT NULL DEFAULT '',
    ADD COLUMN expires_at TIMESTAMPTZ,
    ADD COLUMN last_used_at TIMESTAMPTZ,
    ADD COLUMN limit_usd_micros BIGINT CHECK (limit_usd_micros >= 0),
    ADD COLUMN limit_diem DOUBLE PRECISION,
    ADD COLUMN limit_period TEXT NOT NULL DEFAULT 'EPOCH' CHECK (limit_period IN ('EPOCH', 'MONTH', 'LIFETIME')),
    ADD COLUMN spend_period_start TIMESTAMPTZ NOT NULL DEFAULT 'epoch',
    ADD COLUMN spend_micros BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN spend_reserved_micros BIGINT NOT NULL DEFAULT 0 CHECK (spend_reserved_micros >= 0);
  UPDATE api_keys k SET
    account_id = CASE WHEN k.id LIKE 'key\\_%' THEN 'acct_' || substr(k.id, 5) ELSE 'acct_' || k.id END,
    last_used_at = (SELECT max(u.created_at) FROM usage u WHERE u.key_id = k.id),
    spend_period_start = retouch_period_start('EPOCH', now()),
    spend_micros = (SELECT COALESCE(sum(u.charged_micros), 0) FROM usage u
                    WHERE u.key_id = k.id AND u.created_at >= retouch_period_start('EPOCH', now())),
    spend_reserved_micros = (SELECT COALESCE(sum(r.micros), 0) FROM reservations r WHERE r.key_id = k.id);
  ALTER TABLE api_keys ALTER COLUMN account_id SET NOT NULL;
  CREATE INDEX api_keys_account ON api_keys(account_id);

  ALTER TABLE credit_grants ADD COLUMN account_id TEXT REFERENCES accounts(id), ADD COLUMN actor TEXT NOT NULL DEFAULT '';
  UPDATE credit_grants g SET account_id = k.account_id FROM api_keys k WHERE k.id = g.key_id;
  ALTER TABLE credit_grants ALTER COLUMN account_id SET NOT NULL, ALTER COLUMN key_id DROP NOT NULL;
  CREATE INDEX credit_grants_account ON credit_grants(account_id);

  DROP TABLE balances;

  ALTER TABLE reservations ADD COLUMN account_id TEXT NOT NULL DEFAULT '';
  UPDATE reservations r SET account_id = k.account_id FROM api_keys k WHERE k.id = r.key_id;

  ALTER TABLE usage ADD COLUMN account_id TEXT NOT NULL DEFAULT '';
  UPDATE usage u SET account_id = k.account_id FROM api_keys k WHERE k.id = u.key_id;
  CREATE INDEX usage_account ON usage(account_id, id);

  CREATE TABLE audit_events (
    id BIGSERIAL PRIMARY KEY,
    account_id TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    key_id TEXT,
    details TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
  );
  CREATE INDEX audit_events_account ON audit_events(account_id, id);

  CREATE TABLE limit_breaches (
    id BIGSERIAL PRIMARY KEY,
    account_id TEXT NOT NULL,
    key_id TEXT NOT NULL,
    model_id TEXT NOT NULL,
    limit_type TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
  );
  CREATE INDEX limit_breaches_account ON limit_breaches(account_id, id);

  -- Admits one request: the key live, its period's spend + open holds + the price within its limit, the
  -- account's available amount covering the price. Answers the reservation id, or why it was refused.
  CREATE FUNCTION retouch_admit(p_key TEXT, p_request TEXT, p_micros BIGINT, p_route TEXT, p_model TEXT,
                                p_owner TEXT, p_lease_ms BIGINT, OUT reservation_id BIGINT, OUT account TEXT, OUT refused TEXT)
  LANGUAGE plpgsql AS $fn$
  DECLARE
    k api_keys%ROWTYPE;
    start TIMESTAMPTZ;
    spent BIGINT;
  BEGIN
    SELECT account_id INTO account FROM api_keys WHERE id = p_key;
    IF NOT FOUND THEN refused := 'key-inactive'; RETURN; END IF;
    -- The account's row lock first (every writer of money or spend counters takes it first), then the key's.
    PERFORM 1 FROM accounts WHERE id = account FOR UPDATE;
    SELECT * INTO k FROM api_keys WHERE id = p_key FOR UPDATE;
    IF k.revoked_at IS NOT NULL OR (k.expires_at IS NOT NULL AND k.expires_at <= now()) THEN
      refused := 'key-inactive'; RETURN;
    END IF;
    UPDATE accounts SET reserved_micros = reserved_micros + p_micros
      WHERE id = account AND balance_micros - reserved_micros >= p_micros;
    IF NOT FOUND THEN refused := 'balance'; RETURN; END IF;
    start := retouch_period_start(k.limit_period, now());
    spent := CASE WHEN k.spend_period_start = start THEN k.spend_micros ELSE 0 END;
    IF k.limit_usd_micros IS NOT NULL AND spent + k.spend_reserved_micros + p_micros > k.limit_usd_micros THEN
      UPDATE accounts SET reserved_micros = reserved_micros - p_micros WHERE id = account;
      refused := 'key-limit'; RETURN;
    END IF;
    UPDATE api_keys SET spend_period_start = start, spend_micros = spent,
      spend_reserved_micros = spend_reserved_micros + p_micros, last_used_at = now() WHERE id = p_key;
    INSERT INTO reservations (key_id, account_id, request_id, micros, route, model, owner, expires_at)
      VALUES (p_key, account, p_request, p_micros, p_route, p_model, p_owner, now() + p_lease_ms * interval '1 millisecond')
      RETURNING id INTO reservation_id;
  END
  $fn$;

  -- Ends an open reservation: charged (p_charge) or not, with its usage row. Answers the account's
  -- balance row, or nothing when the reservation was not open (already ended: no second usage row).
  CREATE FUNCTION retouch_settle(p_id BIGINT, p_charge BOOLEAN, p_request TEXT, p_route TEXT, p_model TEXT,
                                 p_status INTEGER, p_duration_ms INTEGER, p_input BIGINT, p_output BIGINT)
  RETURNS SETOF accounts LANGUAGE plpgsql AS $fn$
  DECLARE
    r reservations%ROWTYPE;
    k api_keys%ROWTYPE;
    charged BIGINT;
    start TIMESTAMPTZ;
  BEGIN
    DELETE FROM reservations WHERE id = p_id RETURNING * INTO r;
    IF NOT FOUND THEN RETURN; END IF;
    charged := CASE WHEN p_charge THEN r.micros ELSE 0 END;
    RETURN QUERY UPDATE accounts SET balance_micros = balance_micros - charged, reserved_micros = reserved_micros - r.micros
      WHERE id = r.account_id RETURNING *;
    SELECT * INTO k FROM api_keys WHERE id = r.key_id FOR UPDATE;
    start := retouch_period_start(k.limit_period, now());
    UPDATE api_keys SET spend_period_start = start,
      spend_micros = CASE WHEN k.spend_period_start = start THEN k.spend_micros ELSE 0 END + charged,
      spend_reserved_micros = spend_reserved_micros - r.micros WHERE id = r.key_id;
    INSERT INTO usage (request_id, key_id, account_id, route, model, charged_micros, status, duration_ms, input_pixels, output_pixels)
      VALUES (p_request, r.key_id, r.account_id, p_route, p_model, charged, p_status, p_duration_ms, p_input, p_output);
  END
  $fn$;
`;
