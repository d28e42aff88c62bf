import type { ModelEntry } from '../engines/model-entry.js';
import { ApiError } from '../errors.js';
import type { AppServices } from '../services.js';

/**
 * Refuses a request for a model that cannot run now, with the status a client should act on:
 *
 * - nothing on this server serves the model (no backend configured, model data missing): 404
 *   `MODEL_NOT_FOUND` at once, naming the models that are online, and no Retry-After: retrying cannot
 *   help (the official OpenAI clients retry a 503 for a minute before giving up);
 * - a configured backend is down (health checks failing, every endpoint's breaker open): 503
 *   `MODEL_UNAVAILABLE` (Venice's `MODEL_OFFLINE`) with Retry-After, because it may come back.
 */
export function checkModelOnline(services: AppServices, model: ModelEntry): void {
  const status = model.engine.status();
  if (status.online) return;
  if (status.unserved) {
    const online = services.models
      .list(model.type)
      .filter((m) => m.engine.status().online)
      .map((m) => m.id);
    throw new ApiError(
      'MODEL_NOT_FOUND',
      `Model ${model.id} is not served by this server (${status.reason}). Models online: ${online.join(', ') || 'none'}`,
      { body: { code: 'MODEL_NOT_FOUND', online_models: online } },
    );
  }
  throw new ApiError('MODEL_UNAVAILABLE', `Model ${model.id} is temporarily offline: ${status.reason}`, {
    headers: { 'Retry-After': '30' },
  });
}
