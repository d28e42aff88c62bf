import type { FastifyInstance } from 'fastify';
import { runImageJob } from '../../jobs/run-image-job.js';
import { sendImage } from '../send-image.js';
import type { AppServices } from '../../services.js';
import { readBody } from '../request-body.js';
import { editBodySchema } from '../schemas.js';
import { validate } from '../validate.js';
import { chooseModel } from './model-choice.js';

/** POST /api/v1/image/edit: one image and a prompt; `model` wins over its deprecated alias `modelId`. */
export function registerImageEdit(app: FastifyInstance, services: AppServices): void {
  app.post('/api/v1/image/edit', async (request, reply) => {
    const body = await readBody(request);
    const input = validate(editBodySchema, body.fields);
    const result = await runImageJob(services, request, reply, {
      operation: 'edit',
      model: chooseModel(services, input.model ?? input.modelId, 'inpaint'),
      prompt: input.prompt,
      images: [{ field: 'image', value: input.image }],
      allowUrl: true,
      aspectRatio: input.aspect_ratio,
      options: { seed: input.seed },
      finish: {},
      bodyHash: `edit:${body.hash}`,
    });
    return sendImage(reply, result);
  });
}
