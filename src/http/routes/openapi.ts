import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { accountPaths } from '../account-openapi.js';
import { backgroundRemoveBodySchema, editBodySchema, multiEditBodySchema, upscaleBodySchema } from '../schemas.js';
import { openAiEditBodySchema } from './openai-schema.js';

/**
 * GET /openapi.json, generated from the same zod schemas the routes validate with, so the description
 * cannot drift from the behaviour.
 */
export function registerOpenApi(app: FastifyInstance): void {
  const document = buildOpenApiDocument();
  app.get('/openapi.json', async () => document);
}

const pngResponse = {
  description: 'The edited image',
  content: { 'image/png': { schema: { type: 'string', format: 'binary' } } },
};

const errorSchema = {
  type: 'object',
  properties: {
    error: { type: 'string' },
    details: { type: 'object', description: 'zod format() of a validation failure' },
    issues: { type: 'array', items: { type: 'object' }, description: 'zod issues of a validation failure' },
  },
  required: ['error'],
};

const errorResponses = Object.fromEntries(
  [
    ['400', 'Invalid request parameters, image or prompt (content violations carry x-venice-is-content-violation: true)'],
    ['401', 'Authentication failed'],
    ['402', 'Insufficient balance'],
    ['413', 'Payload too large'],
    ['415', 'Invalid content type'],
    ['422', 'Idempotency-Key reused with a different request'],
    ['429', 'Rate limit exceeded (see Retry-After)'],
    ['500', 'Inference processing failed'],
    ['503', 'Model at capacity or unavailable (see Retry-After)'],
  ].map(([status, description]) => [
    status,
    { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
  ]),
);

function schemaOf(schema: z.ZodType) {
  const { $schema: _drop, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return json;
}

function imagePost(summary: string, schema: z.ZodType) {
  const body = schemaOf(schema);
  return {
    post: {
      summary,
      security: [{ bearer: [] }],
      parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 } }],
      requestBody: {
        required: true,
        content: { 'application/json': { schema: body }, 'multipart/form-data': { schema: body } },
      },
      responses: { '200': pngResponse, ...errorResponses },
    },
  };
}

function buildOpenApiDocument() {
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
    paths: {
      '/api/v1/image/edit': imagePost('Edit a single image with a prompt', editBodySchema),
      '/api/v1/image/multi-edit': imagePost('Edit using 1-3 layered images (base first)', multiEditBodySchema),
      '/api/v1/image/background-remove': imagePost('Remove the background of an image', backgroundRemoveBodySchema),
      '/api/v1/image/upscale': imagePost('Upscale an image 2x or 4x', upscaleBodySchema),
      '/api/v1/models': {
        get: {
          summary: 'List models with pricing, constraints and availability',
          parameters: [
            { name: 'type', in: 'query', required: false, schema: { enum: ['inpaint', 'background-removal', 'all'] } },
          ],
          responses: { '200': { description: "Venice's model list shape" } },
        },
      },
      '/v1/images/edits': {
        post: {
          summary: "OpenAI-compatible image edit (the official openai clients work with baseURL set to this server's /v1)",
          security: [{ bearer: [] }],
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: {
                  ...schemaOf(openAiEditBodySchema),
                  properties: {
                    ...(schemaOf(openAiEditBodySchema).properties as object),
                    image: { type: 'string', format: 'binary', description: 'One image; image[] for several' },
                    mask: { type: 'string', format: 'binary', description: 'PNG whose transparent pixels mark the area to edit' },
                  },
                },
              },
            },
          },
          responses: {
            '200': { description: '{created, data: [{b64_json}]}' },
            default: { description: 'OpenAI-style error: {error: {message, type, param, code}}' },
          },
        },
      },
      ...accountPaths(),
      '/healthz': { get: { summary: 'Liveness', responses: { '200': { description: 'The process answers' } } } },
      '/readyz': {
        get: { summary: 'Readiness', responses: { '200': { description: 'Ready' }, '503': { description: 'Not ready' } } },
      },
      '/metrics': { get: { summary: 'Prometheus metrics', responses: { '200': { description: 'Text exposition format' } } } },
    },
  };
}
