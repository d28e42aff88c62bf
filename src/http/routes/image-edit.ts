import { runImageJob } from '../../jobs/run-image-job.js';
import { sendImage } from '../send-image.js';
import { readBody } from '../request-body.js';
import { editBodySchema } from '../schemas.js';
import { validate } from '../validate.js';
import { chooseModel } from './model-choice.js';
import type { ImageRoute } from './image-route.js';
import { IMAGE_OPERATIONS } from '../../operations/image-operations.js';

/** POST /api/v1/image/edit: one image and a prompt; `model` wins over its deprecated alias `modelId`. */
export const imageEditRoute: ImageRoute = {
  bodySchema: editBodySchema,
  async handle(services, request, reply) {
    const body = await readBody(request);
    const input = validate(editBodySchema, body.fields);
    const model = chooseModel(services, input.model ?? input.modelId, IMAGE_OPERATIONS.edit.modelType);
    const result = await runImageJob(services, request, reply, {
      operation: 'edit',
      model,
      prompt: input.prompt,
      images: [{ field: 'image', value: input.image }],
      allowUrl: true,
      aspectRatio: input.aspect_ratio,
      options: { seed: input.seed },
      finish: {},
      fields: {
        outputFormat: input.output_format,
        resolution: input.resolution,
        safeMode: input.safe_mode,
        enhancePrompt: input.enhance_prompt,
        disablePromptOptimizationThinking: input.disable_prompt_optimization_thinking,
      },
      bodyHash: `edit:${body.hash}`,
    });
    return sendImage(reply, result, model);
  },
};
