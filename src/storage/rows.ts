import type {
  AccountRecord,
  AuditRow,
  Balance,
  IdempotentRecord,
  KeyRecord,
  LimitBreachRow,
  UsageInput,
  UsageRow,
} from './store.js';

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
    accountId: row.account_id,
    hash: row.key_hash,
    type: row.api_key_type,
    name: row.name,
    displayPrefix: row.display_prefix,
    last6: row.last6 ?? '',
    createdAt: iso(row.created_at)!,
    revokedAt: iso(row.revoked_at),
    expiresAt: iso(row.expires_at),
    lastUsedAt: iso(row.last_used_at),
    limits: {
      usdMicros: row.limit_usd_micros === null ? null : Number(row.limit_usd_micros),
      diem: row.limit_diem === null ? null : Number(row.limit_diem),
      period: row.limit_period,
    },
    spendMicros: Number(row.spend_micros),
    spendPeriodStart: iso(row.spend_period_start)!,
    spendReservedMicros: Number(row.spend_reserved_micros),
  };
}

export function toAccount(row: DbRow | undefined): AccountRecord | null {
  if (!row) return null;
  return { id: row.id, name: row.name, createdAt: iso(row.created_at)! };
}

export function toBalance(row: DbRow | undefined, accountId: string): Balance {
  if (!row) throw new Error(`unknown account ${accountId}`);
  const balanceMicros = Number(row.balance_micros);
  const reservedMicros = Number(row.reserved_micros);
  return { accountId, balanceMicros, reservedMicros, availableMicros: balanceMicros - reservedMicros };
}

export function toBreach(row: DbRow): LimitBreachRow {
  return {
    accountId: row.account_id,
    keyId: row.key_id,
    modelId: row.model_id,
    type: row.limit_type,
    createdAt: iso(row.created_at)!,
  };
}

export function toAudit(row: DbRow): AuditRow {
  return {
    accountId: row.account_id,
    actor: row.actor,
    action: row.action,
    keyId: row.key_id,
    details: row.details,
    createdAt: iso(row.created_at)!,
  };
}

export function toUsage(row: DbRow): UsageRow {
  return {
    requestId: row.request_id,
    keyId: row.key_id,
    accountId: row.account_id,
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
export function usageValues(usage: UsageInput & { keyId: string; accountId: string; chargedMicros: number }): unknown[] {
  return [
    usage.requestId,
    usage.keyId,
    usage.accountId,
    usage.route,
    usage.model,
    usage.chargedMicros,
    usage.status,
    Math.round(usage.durationMs),
    usage.inputPixels,
    usage.outputPixels,
  ];
}
