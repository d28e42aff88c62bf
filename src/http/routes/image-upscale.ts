import { ApiError } from '../../errors.js';
import { runImageJob } from '../../jobs/run-image-job.js';
import { effectiveScale } from '../../resources/super-resolution/upscale-scale.js';
import { sendImage } from '../send-image.js';
import { readBody } from '../request-body.js';
import { upscaleBodySchema } from '../schemas.js';
import { validate } from '../validate.js';
import { chooseModel } from './model-choice.js';
import type { ImageRoute } from './image-route.js';
import { IMAGE_OPERATIONS } from '../../operations/image-operations.js';

/**
 * POST /api/v1/image/upscale: one image (file, base64, data URI or URL) enlarged 2x or 4x. The price is
 * the model's price at the scale actually applied (a 4x request served at 2x because of the output limit
 * is charged as 2x), known once the image is decoded and before anything is reserved.
 */
export const imageUpscaleRoute: ImageRoute = {
  bodySchema: upscaleBodySchema,
  async handle(services, request, reply) {
    const body = await readBody(request);
    const input = validate(upscaleBodySchema, body.fields);
    const model = chooseModel(services, input.model, IMAGE_OPERATIONS.upscale.modelType);
    if (input.enhance) {
      throw new ApiError('INVALID_PARAMETERS', `enhance is not supported by ${model.id}; send enhance: false or leave it out`);
    }
    const result = await runImageJob(services, request, reply, {
      operation: 'upscale',
      model,
      prompt: '',
      images: [{ field: 'image', value: input.image }],
      allowUrl: true,
      options: { scale: input.scale, creativity: input.creativity },
      finish: {},
      priceMicros: ([image]) => {
        const prices = model.upscalePriceMicros ?? { 2: model.priceMicros, 4: model.priceMicros };
        return prices[effectiveScale(image.width, image.height, input.scale)];
      },
      bodyHash: `upscale:${body.hash}`,
    });
    return sendImage(reply, result, model);
  },
};
