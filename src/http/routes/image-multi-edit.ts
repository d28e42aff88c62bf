import type { FastifyInstance } from 'fastify';
import { runImageJob } from '../../jobs/run-image-job.js';
import { sendImage } from '../send-image.js';
import type { AppServices } from '../../services.js';
import { readBody } from '../request-body.js';
import { multiEditBodySchema } from '../schemas.js';
import { validate } from '../validate.js';
import { chooseModel } from './model-choice.js';

/**
 * POST /api/v1/image/multi-edit: 1 to 3 images, the first being the base. Venice's schema names the
 * model `modelId` here; `model` is accepted too, and `modelId` wins when both are sent.
 */
export function registerImageMultiEdit(app: FastifyInstance, services: AppServices): void {
  app.post('/api/v1/image/multi-edit', async (request, reply) => {
    const body = await readBody(request);
    const input = validate(multiEditBodySchema, body.fields);
    const result = await runImageJob(services, request, reply, {
      operation: 'multi-edit',
      model: chooseModel(services, input.modelId ?? input.model, 'inpaint'),
      prompt: input.prompt,
      images: input.images.map((value, index) => ({ field: `images[${index}]`, value })),
      allowUrl: true,
      options: { seed: input.seed, layerRoles: input.layer_roles },
      finish: {},
      bodyHash: `multi-edit:${body.hash}`,
    });
    return sendImage(reply, result);
  });
}
