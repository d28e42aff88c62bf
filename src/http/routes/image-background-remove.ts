import { runImageJob } from '../../jobs/run-image-job.js';
import { sendImage } from '../send-image.js';
import { readBody } from '../request-body.js';
import { backgroundRemoveBodySchema } from '../schemas.js';
import { validate } from '../validate.js';
import { chooseModel } from './model-choice.js';
import type { ImageRoute } from './image-route.js';
import { IMAGE_OPERATIONS } from '../../operations/image-operations.js';

/**
 * POST /api/v1/image/background-remove: exactly one of `image` (file or base64) or `image_url`.
 * Venice documents `image` as a file or base64 and `image_url` as a URL; its format table also allows a
 * URL in JSON, so a URL given as `image` is fetched too.
 */
export const imageBackgroundRemoveRoute: ImageRoute = {
  bodySchema: backgroundRemoveBodySchema,
  async handle(services, request, reply) {
    const body = await readBody(request);
    const input = validate(backgroundRemoveBodySchema, body.fields);
    const model = chooseModel(services, undefined, IMAGE_OPERATIONS['background-remove'].modelType);
    const result = await runImageJob(services, request, reply, {
      operation: 'background-remove',
      model,
      prompt: '',
      images: [
        input.image_url !== undefined ? { field: 'image_url', value: input.image_url! } : { field: 'image', value: input.image! },
      ],
      allowUrl: true,
      options: {},
      finish: { onlyMask: input.only_mask, bgColor: input.bg_color },
      fields: { outputFormat: input.output_format },
      bodyHash: `background-remove:${body.hash}`,
    });
    return sendImage(reply, result, model);
  },
};
