import type { QueryResultRow } from 'pg';
import type { Balance, IdempotentRecord, KeyRecord, UsageRow } from '../store.js';

/**
 * PostgreSQL rows to the store's records. node-postgres returns BIGINT as strings (they may exceed 2^53);
 * our amounts are micro-dollars far below that, so Number() is exact.
 */

export function toKey(row: QueryResultRow | undefined): KeyRecord | null {
  if (!row) return null;
  return {
    id: row.id,
    name: row.name,
    displayPrefix: row.display_prefix,
    createdAt: iso(row.created_at)!,
    revokedAt: iso(row.revoked_at),
  };
}

export function toBalance(row: QueryResultRow | undefined, keyId: string): Balance {
  if (!row) throw new Error(`unknown key ${keyId}`);
  const balanceMicros = Number(row.balance_micros);
  const reservedMicros = Number(row.reserved_micros);
  return { keyId, balanceMicros, reservedMicros, availableMicros: balanceMicros - reservedMicros };
}

export function toUsage(row: QueryResultRow): UsageRow {
  return {
    requestId: row.request_id,
    keyId: row.key_id,
    route: row.route,
    model: row.model,
    chargedMicros: Number(row.charged_micros),
    status: row.status,
    durationMs: row.duration_ms,
    inputPixels: Number(row.input_pixels),
    outputPixels: Number(row.output_pixels),
    createdAt: iso(row.created_at)!,
  };
}

export function toIdempotent(row: QueryResultRow): IdempotentRecord {
  return {
    keyId: row.key_id,
    idempotencyKey: row.idempotency_key,
    requestHash: row.request_hash,
    body: row.body,
    contentType: row.content_type,
    chargedMicros: Number(row.charged_micros),
    createdAt: new Date(row.created_at),
  };
}

function iso(value: Date | null): string | null {
  return value ? value.toISOString() : null;
}
