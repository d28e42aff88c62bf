import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { Config } from './config/schema.js';
import { ApiError } from './errors.js';
import { clientErrorHandler, installConnectionGuards } from './http/connection-guards.js';
import { registerImageOperations } from './http/image-operation-routes.js';
import { installJsonBodyParser, largestLegalBody, VENICE_JSON_BODY_LIMIT } from './http/json-body.js';
import { closeJsonParsePool } from './http/json-parse-pool.js';
import { authHook } from './http/plugins/auth.js';
import { errorBudgetHook } from './http/plugins/error-budget.js';
import { installErrorHandler } from './http/plugins/error-handler.js';
import { rateLimitHook, routeName } from './http/plugins/rate-limit.js';
import { registerAccountRoutes, registerKeylessAccountRoutes } from './http/routes/account-routes.js';
import { registerHealth } from './http/routes/health.js';
import { registerImageProgress } from './http/routes/image-progress.js';
import { registerModels } from './http/routes/models.js';
import { registerOpenApi } from './http/routes/openapi.js';
import { registerOpenAiImagesEdits } from './http/routes/openai-images-edits.js';
import { registerPlayground } from './http/routes/playground.js';
import { createServices, type AppServices, type ServiceOverrides } from './services.js';

declare module 'fastify' {
  interface FastifyInstance {
    services: AppServices;
  }
}

export interface BuildAppOptions extends ServiceOverrides {
  logger?: FastifyServerOptions['logger'];
}

/**
 * Builds the Fastify instance with every route and service, without listening: tests drive it with
 * `app.inject()`, the CLI calls `listen`. Closing the app closes engines, worker pools and the store.
 */
export async function buildApp(config: Config, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const bodyLimit = config.bodyLimitBytes ?? largestLegalBody(config.inputs.maxImageBytes);
  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel },
    bodyLimit,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    // Bodies have their own deadline (connection-guards.ts); engines have their own time limits.
    requestTimeout: 0,
    clientErrorHandler,
  });
  installJsonBodyParser(app, config.bodyLimitBytes ?? VENICE_JSON_BODY_LIMIT);
  installConnectionGuards(app, { bodyTimeoutMs: config.bodyTimeoutMs });
  const services = createServices(config, app.log, options);
  app.decorate('services', services);
  app.addHook('onClose', async () => {
    await services.close();
    await closeJsonParsePool();
  });

  installErrorHandler(app);
  await app.register(multipart, {
    limits: {
      fileSize: config.inputs.maxImageBytes,
      files: 3,
      // A text field may carry an image as base64 (4/3 of its bytes) or a prompt of 32,768 characters.
      fieldSize: Math.ceil((config.inputs.maxImageBytes * 4) / 3) + 1024,
      fields: 16,
      parts: 20,
    },
  });

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onSend', errorBudgetHook(services));
  app.addHook('onResponse', async (request, reply) => {
    const labels = { route: routeName(request), model: request.modelLabel ?? '', status: String(reply.statusCode) };
    services.metrics.requests.inc(labels);
    services.metrics.requestDuration.observe(labels, reply.elapsedTime / 1000);
  });

  // First: it gathers the OpenAPI document from the routes registered after it.
  registerOpenApi(app);
  registerHealth(app, services);
  registerModels(app, services);
  registerKeylessAccountRoutes(app, services);
  await registerPlayground(app);

  await app.register(async (api) => {
    api.addHook('onRequest', authHook(services));
    api.addHook('onRequest', rateLimitHook(services));
    api.addHook('preValidation', async (request) => {
      if (request.method === 'POST' && !request.isMultipart() && !isJson(request.headers['content-type'])) {
        throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'Invalid content type: use application/json or multipart/form-data');
      }
    });
    registerImageOperations(api, services);
    registerImageProgress(api, services);
    registerAccountRoutes(api, services);
  });
  await registerOpenAiImagesEdits(app, services);
  return app;
}

function isJson(contentType: string | undefined): boolean {
  return !!contentType && /^application\/json\s*(;|$)/i.test(contentType);
}
