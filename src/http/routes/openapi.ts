import type { FastifyInstance } from 'fastify';
import { openApiOperation, type RouteDoc } from '../route-docs.js';

/**
 * GET /openapi.json, generated from the routes themselves: every route registered with a `doc` in its
 * config (src/http/route-docs.ts) is described, its bodies and queries from the same zod schemas the
 * handlers validate with, so the description cannot drift from the behaviour. Image operations get their
 * doc from the operation table (src/http/image-operation-routes.ts).
 *
 * Call it before registering the routes: the document is gathered as they are registered.
 */
export function registerOpenApi(app: FastifyInstance): void {
  const routes: Array<{ method: string; url: string; doc: RouteDoc }> = [];
  app.addHook('onRoute', (route) => {
    const doc = route.config?.doc;
    if (!doc) return;
    for (const method of [route.method].flat()) {
      // Fastify adds a HEAD route beside every GET; the document lists the GET.
      if (method !== 'HEAD') routes.push({ method: method.toLowerCase(), url: route.url, doc });
    }
  });
  let document: ReturnType<typeof buildOpenApiDocument> | undefined;
  app.get('/openapi.json', { config: { doc: { summary: 'This document', responses: { '200': 'OpenAPI 3.1' } } } }, async () => {
    document ??= buildOpenApiDocument(routes);
    return document;
  });
}

/** The API's error body (src/http/error-bodies.ts). */
const errorSchema = {
  type: 'object',
  properties: {
    error: { type: 'string' },
    details: { type: 'object', description: 'zod format() of a validation failure' },
    issues: { type: 'array', items: { type: 'object' }, description: 'zod issues of a validation failure' },
  },
  required: ['error'],
};

function buildOpenApiDocument(routes: ReadonlyArray<{ method: string; url: string; doc: RouteDoc }>) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { method, url, doc } of routes) {
    // Fastify's `:id` is OpenAPI's `{id}`.
    const path = url.replace(/:(\w+)/g, '{$1}');
    paths[path] = { ...paths[path], [method]: openApiOperation(doc) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'retouch',
      version: '0.1.0',
      description:
        "Self-hosted image editing API compatible with Venice's /image/edit, /image/multi-edit, /image/background-remove and /image/upscale",
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: errorSchema },
    },
    paths,
  };
}
