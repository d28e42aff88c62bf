import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../../services.js';
import { registerApiKeyLimits } from './api-key-limits.js';
import { registerApiKeys } from './api-keys.js';
import { registerBilling, registerRetiredBillingUsage } from './billing.js';
import { registerModelLookups } from './model-lookups.js';

/**
 * Venice's account routes, registered in one place: key management, rate limits and billing behind the
 * Bearer key (`api`, the authenticated scope; ADMIN routes check the key's type themselves) ...
 */
export function registerAccountRoutes(api: FastifyInstance, services: AppServices): void {
  registerApiKeys(api, services);
  registerApiKeyLimits(api, services);
  registerBilling(api, services);
}

/** ... and the retired `/billing/usage` and the model look-ups, keyless like GET /models, on the app itself. */
export function registerKeylessAccountRoutes(app: FastifyInstance, services: AppServices): void {
  registerRetiredBillingUsage(app);
  registerModelLookups(app, services);
}
