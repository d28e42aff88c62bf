import { runImageJob } from '../../jobs/run-image-job.js';
import { sendImage } from '../send-image.js';
import { readBody } from '../request-body.js';
import { multiEditBodySchema } from '../schemas.js';
import { validate } from '../validate.js';
import { chooseModel } from './model-choice.js';
import type { ImageRoute } from './image-route.js';
import { IMAGE_OPERATIONS } from '../../operations/image-operations.js';

/**
 * POST /api/v1/image/multi-edit: 1 to 3 images, the first being the base. Venice's schema names the
 * model `modelId` here, and only that: `model` is a 400, as on Venice.
 */
export const imageMultiEditRoute: ImageRoute = {
  bodySchema: multiEditBodySchema,
  async handle(services, request, reply) {
    const body = await readBody(request);
    const input = validate(multiEditBodySchema, body.fields);
    const model = chooseModel(services, input.modelId, IMAGE_OPERATIONS['multi-edit'].modelType);
    const result = await runImageJob(services, request, reply, {
      operation: 'multi-edit',
      model,
      prompt: input.prompt,
      images: input.images.map((value, index) => ({ field: `images[${index}]`, value })),
      allowUrl: true,
      aspectRatio: input.aspect_ratio,
      options: { seed: input.seed, layerRoles: input.layer_roles },
      finish: {},
      fields: {
        outputFormat: input.output_format,
        resolution: input.resolution,
        quality: input.quality,
        safeMode: input.safe_mode,
        enhancePrompt: input.enhance_prompt,
        disablePromptOptimizationThinking: input.disable_prompt_optimization_thinking,
      },
      bodyHash: `multi-edit:${body.hash}`,
    });
    return sendImage(reply, result, model);
  },
};
