import { z } from 'zod';

/**
 * How a route describes itself in the OpenAPI document: a `doc` in its route config, read when the
 * route is registered (src/http/routes/openapi.ts collects them). Image operations get theirs from the
 * operation table; every other route writes one where it is registered:
 *
 * @example
 * app.get('/api/v1/api_keys', { config: { doc: { summary: 'List API keys', auth: true, errors: ['401'] } } }, handler);
 *
 * A route that is not part of the API (the playground's page and assets) says `doc: false`; a test fails
 * on any route with neither.
 */
export interface RouteDoc {
  summary: string;
  /** Needs `Authorization: Bearer <key>`. */
  auth?: boolean;
  /** The zod schema the handler validates the query string with. */
  query?: z.ZodType;
  /** The zod schema the handler validates the body with, and the content types it is read from. */
  body?: { schema: z.ZodType; contentTypes: readonly string[] };
  /** An OpenAPI requestBody written out, where the schema alone does not say it (multipart files). */
  requestBody?: Record<string, unknown>;
  /** Header parameters. */
  headers?: ReadonlyArray<{ name: string; required?: boolean; schema: Record<string, unknown> }>;
  /** Success (and other) answers: status -> description, or a whole OpenAPI response object. */
  responses?: Record<string, string | Record<string, unknown>>;
  /** Error statuses answered in the API's error shape (`{error, ...}`), described from ERROR_DESCRIPTIONS. */
  errors?: ReadonlyArray<keyof typeof ERROR_DESCRIPTIONS>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route in the OpenAPI document, or false for a route that is not part of the API. */
    doc?: RouteDoc | false;
    /** The route's name in `rateLimits.routes` and the metrics' `route` label (else derived from the URL). */
    routeName?: string;
  }
}

/** The API's error answers, in the shape src/http/error-bodies.ts writes. */
export const ERROR_DESCRIPTIONS = {
  '400': 'Invalid request parameters, image or prompt (content violations carry x-venice-is-content-violation: true)',
  '401': 'Authentication failed',
  '402': 'Insufficient balance',
  '403': 'Forbidden',
  '404': 'Not found',
  '413': 'Payload too large',
  '415': 'Invalid content type',
  '422': 'Idempotency-Key reused with a different request',
  '429': 'Rate limit exceeded (see Retry-After)',
  '500': 'Inference processing failed',
  '503': 'Model at capacity or unavailable (see Retry-After)',
} as const;

/** The JSON Schema of what a client sends (zod's input side); file parts are `{type: string, format: binary}`. */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _drop, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return json;
}

/** One OpenAPI operation object from a route's doc. */
export function openApiOperation(doc: RouteDoc): Record<string, unknown> {
  const parameters = [
    ...queryParameters(doc.query),
    ...(doc.headers ?? []).map((header) => ({ in: 'header', required: false, ...header })),
  ];
  const requestBody =
    doc.requestBody ??
    (doc.body && {
      required: true,
      content: Object.fromEntries(doc.body.contentTypes.map((type) => [type, { schema: jsonSchemaOf(doc.body!.schema) }])),
    });
  const responses = {
    ...Object.fromEntries(
      Object.entries(doc.responses ?? {}).map(([status, answer]) => [
        status,
        typeof answer === 'string' ? { description: answer } : answer,
      ]),
    ),
    ...Object.fromEntries(
      (doc.errors ?? []).map((status) => [
        status,
        {
          description: ERROR_DESCRIPTIONS[status],
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      ]),
    ),
  };
  return {
    summary: doc.summary,
    ...(doc.auth ? { security: [{ bearer: [] }] } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses,
  };
}

function queryParameters(query: z.ZodType | undefined) {
  if (!query) return [];
  const json = jsonSchemaOf(query) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    schema,
  }));
}
