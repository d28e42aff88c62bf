import { z } from 'zod';
import { createKeyBody, deleteKeyInput, modelLookupQuery, updateKeyBody } from './account-schemas.js';

/**
 * The OpenAPI paths of Venice's key-management, rate-limit and billing routes and of the model look-ups,
 * generated from the zod schemas the routes validate with (merged into GET /openapi.json).
 */
function jsonSchema(schema: z.ZodType) {
  const { $schema: _drop, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return json;
}

const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});
const ADMIN_401 = error('Authentication failed, or "Admin API key required" (an INFERENCE key)');
const admin = (summary: string, extra: Record<string, unknown> = {}) => ({
  summary: `${summary} (ADMIN key)`,
  security: [{ bearer: [] }],
  ...extra,
});
const ok = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });
const typeParameter = {
  name: 'type',
  in: 'query',
  required: false,
  schema: jsonSchema(modelLookupQuery.shape.type),
};

export function accountPaths() {
  return {
    '/api/v1/api_keys': {
      get: admin("List the account's live keys, newest first (never the secret)", {
        responses: { '200': ok('{object: "list", data: [key]}'), '401': ADMIN_401 },
      }),
      post: admin('Create a key; the answer holds its secret, shown this once', {
        requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(createKeyBody) } } },
        responses: {
          '200': ok('{success: true, data: {id, apiKey, ...}}'),
          '400': error('Invalid request parameters'),
          '401': ADMIN_401,
        },
      }),
      patch: admin("Change a key's description, expiry, spend limit or period", {
        requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(updateKeyBody) } } },
        responses: { '200': ok('{success: true, data: key}'), '400': error('API key not found or expired'), '401': ADMIN_401 },
      }),
      delete: admin('Revoke a key at once', {
        parameters: [{ name: 'id', in: 'query', required: false, schema: jsonSchema(deleteKeyInput.shape.id) }],
        responses: { '200': ok('{success: true}'), '400': error('API key could not be found'), '401': ADMIN_401 },
      }),
    },
    '/api/v1/api_keys/{id}': {
      get: admin('One key of the account', {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': ok('{data: key}'), '400': error('API key not found'), '401': ADMIN_401 },
      }),
    },
    '/api/v1/api_keys/rate_limits': {
      get: {
        summary: 'The calling key: accessPermitted, what it may spend, its expiry, per-model rate limits (any key)',
        security: [{ bearer: [] }],
        responses: { '200': ok('{data: {accessPermitted, balances, keyExpiration, nextEpochBegins, rateLimits}}') },
      },
    },
    '/api/v1/api_keys/rate_limits/log': {
      get: admin("The account's last 50 refusals by a rate limit", {
        responses: { '200': ok('{object: "list", data: [{apiKeyId, modelId, rateLimitType, timestamp}]}'), '401': ADMIN_401 },
      }),
    },
    '/api/v1/billing/balance': {
      get: admin("The account's balance", {
        responses: { '200': ok('{canConsume, consumptionCurrency, balances, diemEpochAllocation}'), '401': ADMIN_401 },
      }),
    },
    '/api/v1/billing/usage-history': {
      get: admin("The account's charges, oldest first, in keyset pages; CSV with Accept: text/csv", {
        parameters: [
          { name: 'startTimestamp', in: 'query', required: false, schema: { type: 'string', format: 'date-time' } },
          { name: 'endTimestamp', in: 'query', required: false, schema: { type: 'string', format: 'date-time' } },
          {
            name: 'currency',
            in: 'query',
            required: false,
            schema: { enum: ['USD', 'DIEM', 'BUNDLED_CREDITS', 'EARNED_CREDITS'] },
          },
          { name: 'pageSize', in: 'query', required: false, schema: { type: 'integer', minimum: 10, maximum: 1000 } },
          { name: 'cursor', in: 'query', required: false, description: 'Sent alone', schema: { type: 'string' } },
        ],
        responses: {
          '200': {
            description: '{data: [row], nextCursor}, or CSV with the cursor in x-next-cursor',
            content: { 'application/json': { schema: { type: 'object' } }, 'text/csv': { schema: { type: 'string' } } },
          },
          '400': error('Invalid request parameters, or "Invalid or expired cursor; restart from the first page"'),
          '401': ADMIN_401,
        },
      }),
    },
    '/api/v1/billing/usage': {
      get: {
        summary: 'Retired (use /billing/usage-history)',
        deprecated: true,
        responses: { '410': error('Always, with Deprecation, Sunset and Link headers') },
      },
    },
    '/api/v1/models/traits': {
      get: {
        summary: 'The model behind each trait of a type (default)',
        parameters: [typeParameter],
        responses: { '200': ok('{object: "list", type, data: {trait: model id}}') },
      },
    },
    '/api/v1/models/compatibility_mapping': {
      get: {
        summary: 'The model each alias resolves to',
        parameters: [typeParameter],
        responses: { '200': ok('{object: "list", type, data: {alias: model id}}') },
      },
    },
  };
}
