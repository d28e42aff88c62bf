import type { FastifyInstance } from 'fastify';
import { isLive } from '../../accounts/api-keys.js';
import { remainingUnderLimit, usdNumber } from '../../accounts/key-view.js';
import { nextEpochBegins } from '../../accounts/spend-period.js';
import type { ModelEntry } from '../../engines/model-entry.js';
import type { AppServices } from '../../services.js';
import { adminKey, adminOnly } from '../plugins/admin-only.js';

/** The rate-limit route (config `rateLimits.routes`) that serves a model of each type. */
const ROUTE_OF_TYPE: Record<ModelEntry['type'], string> = {
  inpaint: 'edit',
  'background-removal': 'background-remove',
  upscale: 'upscale',
};

/**
 * `GET /api_keys/rate_limits` (any key, about itself): whether it may run a request now, what it may
 * spend (the account's available amount clamped to what its spend limit leaves), its expiry, and each
 * model's requests-per-minute limit. `GET /api_keys/rate_limits/log` (ADMIN): the account's last 50
 * refusals by a rate limit.
 */
export function registerApiKeyLimits(api: FastifyInstance, services: AppServices): void {
  const { store, config } = services;

  api.get('/api/v1/api_keys/rate_limits', async (request) => {
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
                  amount: (config.rateLimits.routes[ROUTE_OF_TYPE[model.type]] ?? config.rateLimits.default).requestsPerMinute,
                },
              ]
            : [],
        })),
      },
    };
  });

  api.get('/api/v1/api_keys/rate_limits/log', { preHandler: adminOnly }, async (request) => {
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
  });
}
