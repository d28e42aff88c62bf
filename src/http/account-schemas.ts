import { z } from 'zod';
import { MODEL_TYPE_NAMES } from '../operations/image-operations.js';
import { KEY_TYPES, LIMIT_PERIODS } from '../storage/store.js';

/**
 * Request schemas of Venice's key-management and billing routes (docs: api-docs/venice-2026.md): bodies
 * and queries are strict, as Venice's are, so a misspelt field is a 400 rather than silently ignored.
 */

/** `""` (none), a day `YYYY-MM-DD` (its start, UTC) or an ISO date-time in UTC (`Z`). */
const expiresAt = z
  .string()
  .regex(
    /^$|^\d{4}-\d\d-\d\d$|^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z$/,
    'Expected "", YYYY-MM-DD or an ISO date-time ending in Z',
  )
  .refine((text) => text === '' || !Number.isNaN(Date.parse(text)), 'Expected a real date')
  .meta({ description: 'When the key stops working: "" (never), YYYY-MM-DD, or YYYY-MM-DDTHH:mm:ss[.sss]Z' });

const capUsd = z.number().min(0).max(9_999_999_999).nullable().optional();

export const consumptionLimit = z
  .strictObject({
    usd: capUsd.meta({ description: 'USD the key may spend per limitPeriod; null: no cap' }),
    diem: capUsd.meta({ description: 'DIEM cap, kept and shown (this server bills in USD only)' }),
    vcu: capUsd.meta({ description: 'Deprecated (legacy DIEM); accepted and ignored', deprecated: true }),
  })
  .meta({ description: 'Per-key spend caps, measured over limitPeriod' });

const limitPeriod = z.enum(LIMIT_PERIODS).meta({ description: 'EPOCH (UTC day, default), MONTH or LIFETIME' });

export const createKeyBody = z.strictObject({
  apiKeyType: z.enum(KEY_TYPES).meta({ description: 'ADMIN keys may also manage keys and read billing' }),
  description: z.string().min(1).max(64),
  expiresAt: expiresAt.optional(),
  consumptionLimit: consumptionLimit.optional(),
  limitPeriod: limitPeriod.optional(),
});

export const updateKeyBody = z.strictObject({
  id: z.string().min(1).max(100),
  description: z.string().min(1).max(64).optional(),
  expiresAt: expiresAt.nullable().optional().meta({ description: '"" or null removes the expiry' }),
  consumptionLimit: consumptionLimit.optional(),
  limitPeriod: limitPeriod.optional(),
});

/** DELETE takes the id in the query or, as Venice also allows, in a JSON body. */
export const deleteKeyInput = z.strictObject({ id: z.string().min(1).max(100) });

export const keyIdParams = z.strictObject({ id: z.string().min(1).max(100) });

const timestamp = z
  .string()
  .max(40)
  .regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,9})?)?Z$/, 'Expected an ISO 8601 UTC timestamp ending in Z')
  .refine((text) => !Number.isNaN(Date.parse(text)), 'Expected a real date');

export const USAGE_CURRENCIES = ['USD', 'DIEM', 'BUNDLED_CREDITS', 'EARNED_CREDITS'] as const;

const cursor = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,512}$/, 'Invalid or expired cursor; restart from the first page')
  .meta({ description: 'From the previous page’s nextCursor (or x-next-cursor); sent alone' });

/** The filters of a first page of the usage history. */
const usageHistoryFilters = z.strictObject({
  startTimestamp: timestamp.optional().meta({ description: 'Inclusive, ISO 8601 in UTC (Z)' }),
  endTimestamp: timestamp.optional().meta({ description: 'Exclusive, ISO 8601 in UTC (Z)' }),
  currency: z.enum(USAGE_CURRENCIES).optional(),
  pageSize: z
    .string()
    .regex(/^\d{1,4}$/, 'Expected an integer from 10 to 1000')
    .transform(Number)
    .pipe(z.number().int().min(10).max(1000))
    .optional()
    .meta({ description: '10 to 1000 (default 1000)' }),
});

/** A first page of the usage history (filters), or a continuation (`cursor` alone). */
export const usageHistoryQuery = z.union([
  z.strictObject({ cursor }),
  usageHistoryFilters.refine(
    (q) => !q.startTimestamp || !q.endTimestamp || Date.parse(q.endTimestamp) > Date.parse(q.startTimestamp),
    'endTimestamp must be later than startTimestamp',
  ),
]);

/** Every parameter of the usage history, for its description (a request sends the filters or the cursor). */
export const usageHistoryParameters = usageHistoryFilters.extend({ cursor: cursor.optional() });

export const modelLookupQuery = z.strictObject({
  type: z.enum(MODEL_TYPE_NAMES).optional().meta({ description: 'A model type (default inpaint)' }),
});
