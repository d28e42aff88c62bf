import type { FastifyInstance } from 'fastify';
import { formatUsd } from '../../accounts/money.js';
import type { AppServices } from '../../services.js';

/**
 * `GET /api/v1/api_keys/rate_limits` for any key, about itself, in Venice's shape but with only what this
 * server keeps today: whether the key can pay for a request and its balance (`data.balances.USD`, what is
 * available now, open reservations held back). The playground reads it to show the balance as soon as a
 * key is saved, before any paid request. The accounts work (ADMIN and INFERENCE keys, spend limits)
 * replaces this file with the full route (expiry, per-model limits), in the same shape.
 */
export function registerKeyBalance(api: FastifyInstance, services: AppServices): void {
  api.get('/api/v1/api_keys/rate_limits', async (request) => {
    const balance = await services.store.getBalance(request.apiKey!.id);
    const available = Math.max(0, balance.availableMicros);
    return { data: { accessPermitted: available > 0, balances: { USD: Number(formatUsd(available)) } } };
  });
}
