import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../../errors.js';
import type { AppServices } from '../../services.js';

/**
 * Per key and route token buckets. Every response of a limited route carries Venice's header names;
 * a request past the limit gets 429 with Retry-After before any other work.
 */
export function rateLimitHook(services: AppServices) {
  const { rateLimits } = services.config;
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (!rateLimits.enabled || !request.apiKey) return;
    const route = routeName(request);
    const perMinute = (rateLimits.routes[route] ?? rateLimits.default).requestsPerMinute;
    const decision = await services.limiter.take(`${request.apiKey.id}:${route}`, perMinute);
    reply.header('x-ratelimit-limit-requests', String(decision.limit));
    reply.header('x-ratelimit-remaining-requests', String(decision.remaining));
    // Venice sends the Unix time in milliseconds at which the bucket is full again.
    reply.header('x-ratelimit-reset-requests', String(Math.ceil(Date.now() + decision.resetMs)));
    if (!decision.allowed) {
      // For GET /api_keys/rate_limits/log; a database hiccup must not turn the 429 into something else.
      const { id: keyId, accountId } = request.apiKey;
      services.store
        .recordLimitBreach({ accountId, keyId, modelId: `endpoint:api/v1/${route}`, type: 'RPM' })
        .catch((error: unknown) => request.log.warn({ err: error }, 'could not record a rate-limit breach'));
      throw new ApiError('RATE_LIMITED', `Rate limit exceeded: ${perMinute} requests per minute on ${route}; retry later`, {
        headers: { 'Retry-After': String(decision.retryAfterSeconds) },
      });
    }
  };
}

/**
 * The route's short name as used in config (`edit`, `multi-edit`, `background-remove`, `models`): the
 * name the route declares (image operations: the operation table's), else its URL without the prefix.
 */
export function routeName(request: FastifyRequest): string {
  const declared = request.routeOptions.config?.routeName;
  if (declared) return declared;
  const url = request.routeOptions.url ?? request.url;
  return url.replace(/^\/api\/v1\//, '').replace(/^image\//, '');
}
