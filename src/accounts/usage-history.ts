import { z } from 'zod';
import type { ChargeRow } from '../storage/store.js';

/**
 * Venice's usage history over our ledger: one row per charged request, oldest first, paged by keyset.
 * The cursor is opaque to clients but not secret: base64url JSON of the ledger position, the walk's
 * filters and page size, and the account it belongs to (a cursor of another account is refused; one
 * edited by hand can at most page through the caller's own account).
 */
const cursorSchema = z.strictObject({
  v: z.literal(1),
  a: z.string(),
  after: z.number().int().min(0),
  start: z.string().optional(),
  end: z.string().optional(),
  currency: z.string().optional(),
  size: z.number().int().min(10).max(1000),
});

export type HistoryWalk = z.infer<typeof cursorSchema>;

export function encodeCursor(walk: HistoryWalk): string {
  return Buffer.from(JSON.stringify(walk)).toString('base64url');
}

/** The walk a cursor continues, or null when it is not one of ours or belongs to another account. */
export function decodeCursor(cursor: string, accountId: string): HistoryWalk | null {
  try {
    const walk = cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return walk.a === accountId ? walk : null;
  } catch {
    return null;
  }
}

export interface HistoryRow {
  timestamp: string;
  sku: string;
  units: number;
  pricePerUnitUsd: number;
  amount: number;
  currency: 'USD';
  notes: string;
  inferenceDetails: {
    requestId: string;
    inferenceExecutionTime: number;
    promptTokens: null;
    completionTokens: null;
  };
}

/** A charge as a ledger row: one unit (one image request) of the model's SKU, debited in USD. */
export function historyRow(charge: ChargeRow): HistoryRow {
  const usd = charge.chargedMicros / 1_000_000;
  return {
    timestamp: charge.createdAt,
    sku: `${charge.model}-${charge.route}`,
    units: 1,
    pricePerUnitUsd: usd,
    amount: -usd,
    currency: 'USD',
    notes: 'API Inference',
    inferenceDetails: {
      requestId: charge.requestId,
      inferenceExecutionTime: charge.durationMs,
      promptTokens: null,
      completionTokens: null,
    },
  };
}

const CSV_COLUMNS = [
  'timestamp',
  'sku',
  'pricePerUnitUsd',
  'units',
  'amount',
  'currency',
  'notes',
  'inferenceDetails.requestId',
  'inferenceDetails.inferenceExecutionTime',
  'inferenceDetails.promptTokens',
  'inferenceDetails.completionTokens',
];

/** The rows as CSV with Venice's columns (RFC 4180 quoting where a value needs it). */
export function historyCsv(rows: HistoryRow[]): string {
  const cell = (value: unknown) => {
    const text = value === null || value === undefined ? '' : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const lines = rows.map((r) =>
    [
      r.timestamp,
      r.sku,
      r.pricePerUnitUsd,
      r.units,
      r.amount,
      r.currency,
      r.notes,
      r.inferenceDetails.requestId,
      r.inferenceDetails.inferenceExecutionTime,
      r.inferenceDetails.promptTokens,
      r.inferenceDetails.completionTokens,
    ]
      .map(cell)
      .join(','),
  );
  return `${[CSV_COLUMNS.join(','), ...lines].join('\r\n')}\r\n`;
}
