import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { AppServices } from '../../services.js';

/**
 * What an image operation's route file provides: its body schema (validated by the handler, shown in
 * the OpenAPI document) and its handler. The path, model type, route name and summary are the operation
 * table's (src/operations/image-operations.ts); src/http/image-operation-routes.ts registers the pair.
 */
export interface ImageRoute {
  readonly bodySchema: z.ZodType;
  handle(services: AppServices, request: FastifyRequest, reply: FastifyReply): Promise<unknown>;
}
