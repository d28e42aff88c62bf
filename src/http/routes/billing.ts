import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { decodeCursor, encodeCursor, type HistoryWalk, historyCsv, historyRow } from '../../accounts/usage-history.js';
import { usdNumber } from '../../accounts/key-view.js';
import { ApiError } from '../../errors.js';
import type { AppServices } from '../../services.js';
import { usageHistoryParameters, usageHistoryQuery } from '../account-schemas.js';
import { adminKey, adminOnly } from '../plugins/admin-only.js';
import { validate } from '../validate.js';

/** Venice's `canConsume`: the account holds at least $0.10. */
const CAN_CONSUME_MICROS = 100_000;
const BAD_CURSOR = 'Invalid or expired cursor; restart from the first page';

/** Venice's billing routes for ADMIN keys: the account's balance and its usage history (JSON or CSV). */
export function registerBilling(api: FastifyInstance, services: AppServices): void {
  const { store } = services;

  api.get(
    '/api/v1/billing/balance',
    {
      preHandler: adminOnly,
      config: {
        doc: {
          summary: "The account's balance (ADMIN key)",
          auth: true,
          responses: {
            '200': '{canConsume, consumptionCurrency, balances: {usd, diem, bundledCredits, earnedCredits}, diemEpochAllocation}',
          },
          errors: ['401'],
        },
      },
    },
    async (request) => {
      const balance = await store.getBalance(adminKey(request).accountId);
      const usd = balance.availableMicros > 0 ? usdNumber(balance.availableMicros) : null;
      return {
        canConsume: balance.availableMicros >= CAN_CONSUME_MICROS,
        consumptionCurrency: usd === null ? null : 'USD',
        balances: { diem: null, usd, bundledCredits: null, earnedCredits: null },
        diemEpochAllocation: 0,
      };
    },
  );

  api.get(
    '/api/v1/billing/usage-history',
    {
      preHandler: adminOnly,
      config: {
        doc: {
          summary: "The account's charges, oldest first, in keyset pages (ADMIN key); CSV with Accept: text/csv",
          auth: true,
          query: usageHistoryParameters,
          responses: {
            '200': {
              description: '{data: [row], nextCursor}; as CSV, the cursor in x-next-cursor',
              content: { 'application/json': { schema: { type: 'object' } }, 'text/csv': { schema: { type: 'string' } } },
            },
          },
          errors: ['400', '401'],
        },
      },
    },
    async (request, reply) => {
      const { accountId } = adminKey(request);
      const walk = readWalk(request, accountId);
      // Only USD is ever charged here: the other currencies have no rows.
      const rows =
        walk.currency && walk.currency !== 'USD'
          ? []
          : await store.chargesPage({
              accountId,
              afterId: walk.after,
              start: walk.start ? new Date(walk.start) : undefined,
              end: walk.end ? new Date(walk.end) : undefined,
              limit: walk.size + 1,
            });
      const page = rows.slice(0, walk.size);
      const nextCursor = rows.length > walk.size ? encodeCursor({ ...walk, after: page.at(-1)!.id }) : null;
      const data = page.map(historyRow);
      if (wantsCsv(request)) return sendCsv(reply, historyCsv(data), nextCursor);
      return { data, nextCursor };
    },
  );
}

/** The walk this request starts (filters) or continues (a cursor, which must come alone). */
function readWalk(request: FastifyRequest, accountId: string): HistoryWalk {
  const query = request.query as Record<string, unknown>;
  if ('cursor' in query && Object.keys(query).length > 1) {
    throw new ApiError('INVALID_PARAMETERS', 'Invalid request parameters: send cursor alone; it carries the filters of its walk');
  }
  const parsed = validate(usageHistoryQuery, query);
  if ('cursor' in parsed) {
    const walk = decodeCursor(parsed.cursor, accountId);
    if (!walk) throw new ApiError('INVALID_PARAMETERS', BAD_CURSOR);
    return walk;
  }
  return {
    v: 1,
    a: accountId,
    after: 0,
    ...(parsed.startTimestamp ? { start: parsed.startTimestamp } : {}),
    ...(parsed.endTimestamp ? { end: parsed.endTimestamp } : {}),
    ...(parsed.currency ? { currency: parsed.currency } : {}),
    size: parsed.pageSize ?? 1000,
  };
}

function wantsCsv(request: FastifyRequest): boolean {
  return /\btext\/csv\b/i.test(request.headers.accept ?? '');
}

function sendCsv(reply: FastifyReply, csv: string, nextCursor: string | null) {
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  if (nextCursor) void reply.header('x-next-cursor', nextCursor);
  return reply
    .header('content-disposition', `attachment; filename=billing-usage-history-${stamp}.csv`)
    .type('text/csv; charset=utf-8')
    .send(csv);
}

/**
 * `GET /api/v1/billing/usage`: retired by Venice on 2026-09-16; every request, with or without a key,
 * gets 410 with the deprecation headers and the way to its successor.
 */
export function registerRetiredBillingUsage(app: FastifyInstance): void {
  app.get(
    '/api/v1/billing/usage',
    {
      config: {
        doc: {
          summary: 'Retired: always 410 with Deprecation, Sunset and Link rel="successor-version" (use /billing/usage-history)',
          responses: { '410': 'Retired' },
        },
      },
    },
    async (_request, reply) =>
      reply
        .status(410)
        .headers({
          Deprecation: '@1783555200',
          Sunset: 'Wed, 16 Sep 2026 00:00:00 GMT',
          Link: '</api/v1/billing/usage-history>; rel="successor-version"',
        })
        .send({
          error:
            'GET /api/v1/billing/usage was retired on 2026-09-16. Use GET /api/v1/billing/usage-history: page and limit became pageSize and nextCursor, startDate and endDate became startTimestamp and endTimestamp.',
        }),
  );
}
