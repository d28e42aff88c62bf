import type { FastifyRequest } from 'fastify';
import { authenticate } from '../../accounts/api-keys.js';
import { ApiError } from '../../errors.js';
import type { KeyRecord } from '../../storage/store.js';
import type { AppServices } from '../../services.js';

declare module 'fastify' {
  interface FastifyRequest {
    apiKey?: KeyRecord;
    /** The model a request ran on, for metrics labels. */
    modelLabel?: string;
  }
}

/** `Authorization: Bearer <key>` on every /api/v1 route; a missing, unknown, revoked or expired key is a 401. */
export function authHook(services: AppServices) {
  return async (request: FastifyRequest): Promise<void> => {
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) {
      throw new ApiError('UNAUTHORIZED', 'Authentication failed: send your API key as "Authorization: Bearer <key>"');
    }
    const key = await authenticate(services.store, match[1]);
    if (!key) throw new ApiError('UNAUTHORIZED', 'Authentication failed: the API key is unknown, revoked or expired');
    request.apiKey = key;
  };
}
