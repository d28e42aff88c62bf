import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../../errors.js';
import type { JobResult } from '../../jobs/image-job.js';
import { runImageJob } from '../../jobs/run-image-job.js';
import type { AppServices } from '../../services.js';
import { authHook } from '../plugins/auth.js';
import { rateLimitHook } from '../plugins/rate-limit.js';
import { readBody } from '../request-body.js';
import { validate } from '../validate.js';
import { chooseModel } from './model-choice.js';
import { OPENAI_ARRAY_FIELDS, openAiEditBodySchema } from './openai-schema.js';

/**
 * OpenAI's image edit API on this server's engines: `POST /v1/images/edits` (multipart `image` or
 * `image[]`, `prompt`, `model`, `mask`, `size`, `n=1`, `response_format=b64_json`) answering
 * `{created, data: [{b64_json}]}`, and `GET /v1/models`. The same request path as the Venice routes (keys,
 * credits, limits, policy, engines); errors are rendered in OpenAI's shape by the shared error handler,
 * so the official `openai` clients work against it with only `baseURL` changed.
 *
 * @example
 * const client = new OpenAI({ baseURL: 'http://127.0.0.1:8080/v1', apiKey: RETOUCH_KEY });
 * const { data } = await client.images.edit({ model: 'local-edit', image: file, prompt: 'make it sepia' });
 */
export async function registerOpenAiImagesEdits(app: FastifyInstance, services: AppServices): Promise<void> {
  await app.register(async (v1) => {
    v1.addHook('onRequest', authHook(services));
    v1.addHook('onRequest', rateLimitHook(services));
    v1.post('/v1/images/edits', (request, reply) => imagesEdits(services, request, reply));
    v1.get('/v1/models', async () => ({
      object: 'list',
      data: services.models
        .list('inpaint')
        .filter((model) => model.engine.status().online)
        .map((model) => ({ id: model.id, object: 'model', created: 0, owned_by: 'retouch' })),
    }));
  });
}

async function imagesEdits(services: AppServices, request: FastifyRequest, reply: FastifyReply) {
  const body = await readBody(request, { arrayFields: OPENAI_ARRAY_FIELDS, json: false });
  const fields = validate(openAiEditBodySchema, body.fields);
  const images = [...fields.image, ...(fields.mask ? [fields.mask] : [])];
  if (images.length > 3) throw paramError('image', 'At most 3 images, the mask included, are supported');
  const model = chooseModel(services, fields.model, 'inpaint');
  const result = await runImageJob(services, request, reply, {
    operation: images.length > 1 ? 'multi-edit' : 'edit',
    model,
    prompt: fields.prompt,
    images: images.map((file, i) => ({ field: file === fields.mask ? 'mask' : `image[${i}]`, value: file })),
    allowUrl: false,
    aspectRatio: sizeToAspectRatio(fields.size, model.constraints.aspectRatios),
    options: {
      seed: fields.seed,
      // OpenAI's mask is always a mask (alpha convention); other images are reference layers.
      layerRoles: images.slice(1).map((file) => (file === fields.mask ? 'mask' : 'overlay')),
    },
    finish: {},
    bodyHash: `openai-edit:${body.hash}`,
  });
  return reply.type('application/json').send(toOpenAiImage(result));
}

/** OpenAI's answer: the image as base64 JSON. */
function toOpenAiImage(result: JobResult) {
  return {
    created: Math.floor(Date.now() / 1000),
    data: [{ b64_json: result.body.toString('base64') }],
    output_format: 'png',
    size: `${result.width}x${result.height}`,
  };
}

/**
 * OpenAI's `size` as one of the model's aspect ratios: the output keeps the input's resolution, cropped
 * to the ratio (`1536x1024` is 3:2). `auto` or no size keeps the input's own ratio.
 */
function sizeToAspectRatio(size: string | undefined, allowed: string[]): string | undefined {
  if (size === undefined || size === 'auto') return undefined;
  const match = /^(\d{1,5})x(\d{1,5})$/.exec(size);
  if (!match) throw paramError('size', `size must be "auto" or WIDTHxHEIGHT, not "${size}"`);
  const [w, h] = [Number(match[1]), Number(match[2])];
  const divisor = gcd(w, h);
  const ratio = `${w / divisor}:${h / divisor}`;
  if (!allowed.includes(ratio)) {
    throw paramError('size', `size ${size} (${ratio}) is not supported by this model; its aspect ratios are ${allowed.join(', ')}`);
  }
  return ratio;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function paramError(param: string, message: string): ApiError {
  return new ApiError('INVALID_PARAMETERS', message, { body: { param } });
}
