import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../../services.js';
import { modelLookupQuery } from '../account-schemas.js';
import { validate } from '../validate.js';

/**
 * Venice's model look-ups, keyless like GET /models here: `/models/traits` names the model behind each
 * trait of a type (`default` is the model a request of that type gets when it names none), and
 * `/models/compatibility_mapping` the model each alias of the config resolves to. `type` defaults to
 * `inpaint`, this server's main type.
 */
export function registerModelLookups(app: FastifyInstance, services: AppServices): void {
  const { models } = services;

  app.get(
    '/api/v1/models/traits',
    {
      config: {
        doc: {
          summary: 'The model behind each trait of a type (default: what a request that names none gets)',
          query: modelLookupQuery,
          responses: { '200': '{object: "list", type, data: {trait: model id}}' },
          errors: ['400'],
        },
      },
    },
    async (request) => {
      const type = validate(modelLookupQuery, request.query).type ?? 'inpaint';
      const data: Record<string, string> = {};
      const defaultModel = models.defaultModel(type);
      if (models.get(defaultModel)) data.default = defaultModel;
      return { object: 'list', type, data };
    },
  );

  app.get(
    '/api/v1/models/compatibility_mapping',
    {
      config: {
        doc: {
          summary: 'The model each alias of a type resolves to',
          query: modelLookupQuery,
          responses: { '200': '{object: "list", type, data: {alias: model id}}' },
          errors: ['400'],
        },
      },
    },
    async (request) => {
      const type = validate(modelLookupQuery, request.query).type ?? 'inpaint';
      // Model aliases and the config's compatibilityMapping names (gpt-image-1, dall-e-2, ...), resolved now.
      const data = models.compatibilityMapping(type);
      return { object: 'list', type, data };
    },
  );
}
