import type { Balance, IdempotentRecord, KeyRecord, UsageInput, UsageRow } from './store.js';

/**
 * Database rows to the store's records, for both stores (the two schemas name their columns alike).
 * node-postgres returns BIGINT as strings (they may exceed 2^53) and timestamps as Dates; SQLite keeps
 * integers and ISO strings. Our amounts are micro-dollars far below 2^53, so Number() is exact.
 */

/** A row as either driver returns it: columns by name, untyped. */
// biome-ignore lint/suspicious/noExplicitAny: database drivers return untyped rows; the schemas define the columns
export type DbRow = Record<string, any>;

export function toKey(row: DbRow | undefined): KeyRecord | null {
  if (!row) return null;
  return {
    id: row.id,
    name: row.name,
    displayPrefix: row.display_prefix,
    createdAt: iso(row.created_at)!,
    revokedAt: iso(row.revoked_at),
  };
}

export function toBalance(row: DbRow | undefined, keyId: string): Balance {
  if (!row) throw new Error(`unknown key ${keyId}`);
  const balanceMicros = Number(row.balance_micros);
  const reservedMicros = Number(row.reserved_micros);
  return { keyId, balanceMicros, reservedMicros, availableMicros: balanceMicros - reservedMicros };
}

export function toUsage(row: DbRow): UsageRow {
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

export function toIdempotent(row: DbRow): IdempotentRecord {
  return {
    keyId: row.key_id,
    idempotencyKey: row.idempotency_key,
    requestHash: row.request_hash,
    body: row.body,
    contentType: row.content_type,
    chargedMicros: Number(row.charged_micros),
    createdAt: new Date(row.created_at),
    // SQLite stores 0/1, PostgreSQL a boolean.
    blurred: Boolean(row.blurred),
    ...(row.enhanced_prompt ? { enhancedPrompt: row.enhanced_prompt } : {}),
  };
}

function iso(value: Date | string | null): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? new Date(value).toISOString() : value.toISOString();
}

/** The values of a usage row, in the column order both stores insert them. */
export function usageValues(usage: UsageInput & { keyId: string; chargedMicros: number }): unknown[] {
  return [
    usage.requestId,
    usage.keyId,
    usage.route,
    usage.model,
    usage.chargedMicros,
    usage.status,
    Math.round(usage.durationMs),
    usage.inputPixels,
    usage.outputPixels,
  ];
}
