import type { FastifyInstance } from 'fastify';
import type { ModelEntry } from '../../engines/model-entry.js';
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

  app.get('/api/v1/models/traits', async (request) => {
    const type = validate(modelLookupQuery, request.query).type ?? 'inpaint';
    const defaults: Record<ModelEntry['type'], string> = {
      inpaint: models.defaultEditModel(),
      'background-removal': models.backgroundRemovalModel(),
      upscale: models.upscaleModel(),
    };
    const data: Record<string, string> = {};
    if (models.get(defaults[type])) data.default = defaults[type];
    return { object: 'list', type, data };
  });

  app.get('/api/v1/models/compatibility_mapping', async (request) => {
    const type = validate(modelLookupQuery, request.query).type ?? 'inpaint';
    const data = Object.fromEntries(
      models
        .list(type)
        .filter((model) => model.aliasOf)
        .map((model) => [model.id, model.aliasOf!]),
    );
    return { object: 'list', type, data };
  });
}
