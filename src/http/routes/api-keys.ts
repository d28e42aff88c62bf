import type { FastifyInstance } from 'fastify';
import { createApiKey, isLive } from '../../accounts/api-keys.js';
import { keyDetails, keySummary, limitsView } from '../../accounts/key-view.js';
import { ApiError } from '../../errors.js';
import type { AppServices } from '../../services.js';
import type { KeyLimits, KeyPatch, KeyRecord } from '../../storage/store.js';
import { createKeyBody, deleteKeyInput, keyIdParams, updateKeyBody } from '../account-schemas.js';
import type { RouteDoc } from '../route-docs.js';
import { adminKey, adminOnly } from '../plugins/admin-only.js';
import { validate } from '../validate.js';

/**
 * Venice's key management (ADMIN keys only): list, create, change, revoke and read the keys of the
 * caller's own account. A key of another account is "not found", never shown or changed. Every change
 * is recorded in the audit trail with the ADMIN key that made it (the store does it in the same step).
 */
const SEVEN_DAYS_MS = 7 * 24 * 3_600_000;

/** An ADMIN route's description: the key's 401 is Venice's "Admin API key required" for an INFERENCE key. */
const adminDoc = (
  summary: string,
  doc: Omit<RouteDoc, 'summary' | 'auth'> = {},
): { preHandler: typeof adminOnly; config: { doc: RouteDoc } } => ({
  preHandler: adminOnly,
  config: { doc: { summary: `${summary} (ADMIN key; an INFERENCE key gets 401 "Admin API key required")`, auth: true, ...doc } },
});
const JSON_BODY = ['application/json'] as const;

export function registerApiKeys(api: FastifyInstance, services: AppServices): void {
  const { store } = services;

  /** The account's live keys with their trailing seven days' spend, newest first. */
  async function liveKeys(accountId: string) {
    const at = new Date();
    const [keys, spend] = await Promise.all([
      store.listKeys(accountId),
      store.keyChargesSince(accountId, new Date(at.getTime() - SEVEN_DAYS_MS)),
    ]);
    return keys
      .filter((key) => isLive(key, at))
      .reverse()
      .map((key) => keyDetails(key, spend.get(key.id) ?? 0, at));
  }

  api.get(
    '/api/v1/api_keys',
    adminDoc("The account's live keys, newest first (never the secret)", {
      responses: { '200': '{object: "list", data: [key]}' },
      errors: ['401'],
    }),
    async (request) => ({
      object: 'list',
      data: await liveKeys(adminKey(request).accountId),
    }),
  );

  api.get(
    '/api/v1/api_keys/:id',
    adminDoc('One key of the account', { responses: { '200': '{data: key}' }, errors: ['400', '401'] }),
    async (request) => {
      const { id } = validate(keyIdParams, request.params);
      const found = (await liveKeys(adminKey(request).accountId)).find((key) => key.id === id);
      if (!found) throw new ApiError('INVALID_PARAMETERS', 'API key not found');
      return { data: found };
    },
  );

  api.post(
    '/api/v1/api_keys',
    adminDoc('Create a key; the answer holds its secret, shown this once', {
      body: { schema: createKeyBody, contentTypes: JSON_BODY },
      responses: {
        '200': '{success: true, data: {id, apiKey, apiKeyType, description, expiresAt, consumptionLimit, limitPeriod}}',
      },
      errors: ['400', '401'],
    }),
    async (request) => {
      const body = validate(createKeyBody, request.body);
      const admin = adminKey(request);
      const { record, key } = await createApiKey(store, {
        accountId: admin.accountId,
        type: body.apiKeyType,
        name: body.description,
        expiresAt: futureExpiry(body.expiresAt),
        limits: {
          usdMicros: toMicros(body.consumptionLimit?.usd),
          diem: body.consumptionLimit?.diem ?? null,
          period: body.limitPeriod ?? 'EPOCH',
        } satisfies KeyLimits,
        actor: admin.id,
      });
      // The only time the secret leaves the server; it is never logged (Fastify logs no bodies).
      return {
        success: true,
        data: {
          id: record.id,
          apiKey: key,
          apiKeyType: record.type,
          description: record.name,
          expiresAt: record.expiresAt,
          consumptionLimit: limitsView(record.limits),
          limitPeriod: record.limits.period,
        },
      };
    },
  );

  api.patch(
    '/api/v1/api_keys',
    adminDoc("Change a key's description, expiry, spend limit or period", {
      body: { schema: updateKeyBody, contentTypes: JSON_BODY },
      responses: { '200': '{success: true, data: key}' },
      errors: ['400', '401'],
    }),
    async (request) => {
      const body = validate(updateKeyBody, request.body);
      const admin = adminKey(request);
      const current = await store.getKey(body.id);
      if (!current || current.accountId !== admin.accountId || !isLive(current)) {
        throw new ApiError('INVALID_PARAMETERS', 'API key not found or expired');
      }
      const patch: KeyPatch = {
        ...(body.description !== undefined ? { description: body.description } : {}),
        ...(body.expiresAt !== undefined ? { expiresAt: body.expiresAt ? futureExpiry(body.expiresAt) : null } : {}),
        ...(body.limitPeriod ? { period: body.limitPeriod } : {}),
        ...(body.consumptionLimit
          ? {
              limits: {
                ...('usd' in body.consumptionLimit ? { usdMicros: toMicros(body.consumptionLimit.usd) } : {}),
                ...('diem' in body.consumptionLimit ? { diem: body.consumptionLimit.diem ?? null } : {}),
              },
            }
          : {}),
      };
      const updated = await store.updateKey(admin.accountId, body.id, patch, admin.id);
      if (!updated) throw new ApiError('INVALID_PARAMETERS', 'API key not found or expired');
      return { success: true, data: keySummary(updated) };
    },
  );

  api.delete(
    '/api/v1/api_keys',
    adminDoc('Revoke a key at once', { query: deleteKeyInput, responses: { '200': '{success: true}' }, errors: ['400', '401'] }),
    async (request) => {
      const query = request.query as Record<string, unknown>;
      const input = validate(deleteKeyInput, Object.keys(query).length > 0 ? query : (request.body ?? {}));
      const admin = adminKey(request);
      const key: KeyRecord | null = await store.getKey(input.id);
      if (!key || key.revokedAt || !(await store.revokeKey(input.id, admin.id, admin.accountId))) {
        throw new ApiError('INVALID_PARAMETERS', 'API key could not be found');
      }
      return { success: true };
    },
  );
}

/** USD from a body as micro-dollars (null or absent: no cap). */
function toMicros(usd: number | null | undefined): number | null {
  return usd === null || usd === undefined ? null : Math.round(usd * 1_000_000);
}

/** An expiry from a body as an ISO time ("" or absent: none); one already past is refused. */
function futureExpiry(text: string | undefined): string | null {
  if (!text) return null;
  const at = new Date(text.length === 10 ? `${text}T00:00:00Z` : text);
  if (at.getTime() <= Date.now()) {
    throw new ApiError('INVALID_PARAMETERS', 'Invalid request parameters: expiresAt must be in the future');
  }
  return at.toISOString();
}
