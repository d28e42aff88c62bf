import type { FastifyRequest } from 'fastify';

/**
 * The account a request is made for: whose share of a model's queue it uses (fair queueing) and whose
 * flood is held back. A key that belongs to an account (`accountId`) counts for that account; a key
 * without one is an account of its own. A request with no key (none reaches a queue today) shares ''.
 */
export function accountOf(request: FastifyRequest): string {
  const key = request.apiKey as { id: string; accountId?: string } | undefined;
  return key?.accountId ?? key?.id ?? '';
}
