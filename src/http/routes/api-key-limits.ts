import type { FastifyInstance } from 'fastify';
import { isLive } from '../../accounts/api-keys.js';
import { remainingUnderLimit, usdNumber } from '../../accounts/key-view.js';
import { nextEpochBegins } from '../../storage/spend-period.js';
import { IMAGE_OPERATIONS, type ModelType } from '../../operations/image-operations.js';
import type { AppServices } from '../../services.js';
import { adminKey, adminOnly } from '../plugins/admin-only.js';

/** The rate-limit route (config `rateLimits.routes`) of the first operation that runs a model type. */
function routeOfType(type: ModelType): string {
  return Object.values(IMAGE_OPERATIONS).find((operation) => operation.modelType === type)?.routeName ?? type;
}

/**
 * `GET /api_keys/rate_limits` (any key, about itself): whether it may run a request now, what it may
 * spend (the account's available amount clamped to what its spend limit leaves), its expiry, and each
 * model's requests-per-minute limit. `GET /api_keys/rate_limits/log` (ADMIN): the account's last 50
 * refusals by a rate limit.
 */
export function registerApiKeyLimits(api: FastifyInstance, services: AppServices): void {
  const { store, config } = services;

  api.get(
    '/api/v1/api_keys/rate_limits',
    {
      config: {
        doc: {
          summary: 'The calling key (any type): accessPermitted, what it may spend, its expiry, per-model rate limits',
          auth: true,
          responses: { '200': '{data: {accessPermitted, apiTier, balances: {USD}, keyExpiration, nextEpochBegins, rateLimits}}' },
          errors: ['401'],
        },
      },
    },
    async (request) => {
      const at = new Date();
      // Read again, not from the request: the answer is the admission check as of now.
      const key = (await store.getKey(request.apiKey!.id))!;
      const balance = await store.getBalance(key.accountId);
      const remaining = remainingUnderLimit(key, at);
      const spendable = Math.max(0, Math.min(balance.availableMicros, remaining ?? Number.MAX_SAFE_INTEGER));
      return {
        data: {
          accessPermitted: isLive(key, at) && spendable > 0,
          apiTier: { id: 'paid', isCharged: true },
          balances: { USD: usdNumber(spendable) },
          keyExpiration: key.expiresAt,
          nextEpochBegins: nextEpochBegins(at).toISOString(),
          rateLimits: services.models.list().map((model) => ({
            apiModelId: model.id,
            rateLimits: config.rateLimits.enabled
              ? [
                  {
                    type: 'RPM',
                    amount: (config.rateLimits.routes[routeOfType(model.type)] ?? config.rateLimits.default).requestsPerMinute,
                  },
                ]
              : [],
          })),
        },
      };
    },
  );

  api.get(
    '/api/v1/api_keys/rate_limits/log',
    {
      preHandler: adminOnly,
      config: {
        doc: {
          summary: "The account's last 50 refusals by a rate limit (ADMIN key)",
          auth: true,
          responses: { '200': '{object: "list", data: [{apiKeyId, modelId, rateLimitType, rateLimitTier, timestamp}]}' },
          errors: ['401'],
        },
      },
    },
    async (request) => {
      const breaches = await store.listLimitBreaches(adminKey(request).accountId);
      return {
        object: 'list',
        data: breaches.map((b) => ({
          apiKeyId: b.keyId,
          modelId: b.modelId,
          rateLimitType: b.type,
          rateLimitTier: 'paid',
          timestamp: b.createdAt,
        })),
      };
    },
  );
}
