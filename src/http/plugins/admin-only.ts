import type { FastifyRequest } from 'fastify';
import { ApiError } from '../../errors.js';
import type { KeyRecord } from '../../storage/store.js';

/** Venice's answer to an INFERENCE key on a route for ADMIN keys. */
export const ADMIN_REQUIRED = 'Admin API key required';

/** A preHandler for ADMIN routes: the authenticated key, or Venice's 401. */
export async function adminOnly(request: FastifyRequest): Promise<void> {
  if (request.apiKey?.type !== 'ADMIN') throw new ApiError('UNAUTHORIZED', ADMIN_REQUIRED);
}

/** The ADMIN key of a request that passed `adminOnly`. */
export function adminKey(request: FastifyRequest): KeyRecord {
  return request.apiKey!;
}
