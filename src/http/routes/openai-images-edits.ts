import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { JobResult } from '../../jobs/image-job.js';
import { runImageJob } from '../../jobs/run-image-job.js';
import { IMAGE_OPERATIONS } from '../../operations/image-operations.js';
import type { AppServices } from '../../services.js';
import { authHook } from '../plugins/auth.js';
import { rateLimitHook } from '../plugins/rate-limit.js';
import { readBody } from '../request-body.js';
import { jsonSchemaOf, type RouteDoc } from '../route-docs.js';
import { validate } from '../validate.js';
import { chooseModel } from './model-choice.js';
import { OPENAI_ARRAY_FIELDS, openAiEditBodySchema } from './openai-schema.js';
import { superResolutionEnlarger } from '../../jobs/super-resolution-enlarger.js';
import { completedEvent, sendEvents } from '../openai-events.js';
import { backgroundCutter, paramError, parseSize } from './openai-output.js';

/**
 * OpenAI's image edit API on this server's engines: `POST /v1/images/edits` (multipart `image` or
 * `image[]`, `prompt`, `model`, `mask`, `size`, `output_format`, `output_compression`, `background`, `n=1`,
 * `response_format=b64_json`, `stream`) answering
 * `{created, data: [{b64_json}]}` (or OpenAI's server-sent events with `stream: true`), and `GET /v1/models`. The same request path as the Venice routes (keys,
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
    v1.post('/v1/images/edits', { config: { doc: imagesEditsDoc() } }, (request, reply) => imagesEdits(services, request, reply));
    v1.get('/v1/models', { config: { doc: modelsDoc } }, async () => ({
      object: 'list',
      data: services.models
        .list('inpaint')
        .filter((model) => model.engine.status().online)
        .map((model) => ({ id: model.id, object: 'model', created: 0, owned_by: 'retouch' })),
    }));
  });
}

const modelsDoc: RouteDoc = {
  summary: 'OpenAI-compatible model list: the edit models online now',
  auth: true,
  responses: { '200': '{object: "list", data: [{id, object, created, owned_by}]}' },
};

/** Multipart only; the files are written out, as zod's schema cannot say "a file part". */
function imagesEditsDoc(): RouteDoc {
  const body = jsonSchemaOf(openAiEditBodySchema);
  return {
    summary: "OpenAI-compatible image edit (the official openai clients work with baseURL set to this server's /v1)",
    auth: true,
    requestBody: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: {
            ...body,
            properties: {
              ...(body.properties as object),
              image: { type: 'string', format: 'binary', description: 'One image; image[] for several' },
              mask: { type: 'string', format: 'binary', description: 'PNG whose transparent pixels mark the area to edit' },
            },
          },
        },
      },
    },
    responses: {
      '200': '{created, data: [{b64_json}]}',
      default: 'OpenAI-style error: {error: {message, type, param, code}}',
    },
  };
}

async function imagesEdits(services: AppServices, request: FastifyRequest, reply: FastifyReply) {
  const body = await readBody(request, { arrayFields: OPENAI_ARRAY_FIELDS, json: false });
  const fields = validate(openAiEditBodySchema, body.fields);
  const images = [...fields.image, ...(fields.mask ? [fields.mask] : [])];
  if (images.length > 3) throw paramError('image', 'At most 3 images, the mask included, are supported');
  const model = chooseModel(services, fields.model, IMAGE_OPERATIONS.edit.modelType);
  const size = parseSize(fields.size, model.constraints.aspectRatios);
  const transparent = fields.background === 'transparent';
  if (transparent && fields.output_format === 'jpeg') {
    throw paramError('background', 'background=transparent needs output_format png or webp');
  }
  const cutter = transparent ? backgroundCutter(services) : undefined;
  // A size larger than the photo is answered at that size, as OpenAI does: Lanczos, or the networks.
  const enlarge =
    size && model.enlargeWith === 'super-resolution'
      ? superResolutionEnlarger(services.config, services.resources, model.timeoutMs)
      : null;
  const result = await runImageJob(services, request, reply, {
    operation: images.length > 1 ? 'multi-edit' : 'edit',
    model,
    prompt: fields.prompt,
    images: images.map((file, i) => ({ field: file === fields.mask ? 'mask' : `image[${i}]`, value: file })),
    allowUrl: false,
    aspectRatio: size?.ratio,
    options: {
      seed: fields.seed,
      // OpenAI's mask is always a mask (alpha convention); the other images are references. A generative
      // model reads them itself; one that invents nothing binds each to what the prompt does with it (a
      // new background, something to add), so "replace the background with the second image" works.
      layerRoles: images
        .slice(1)
        .map((file) => (file === fields.mask ? 'mask' : model.kindTraits.newContent ? 'overlay' : 'auto')),
    },
    finish: {
      ...(size ? { exactSize: { width: size.width, height: size.height } } : {}),
      ...(enlarge ? { enlarge } : {}),
      ...(fields.output_compression !== undefined ? { compression: fields.output_compression } : {}),
      ...(cutter ? { cutOut: cutter.cutOut } : {}),
    },
    // OpenAI answers PNG unless asked; its quality and moderation fields have no tier meaning here.
    fields: { outputFormat: fields.output_format ?? 'png' },
    ...(cutter ? { surchargeMicros: cutter.model.priceMicros } : {}),
    bodyHash: `openai-edit:${body.hash}`,
  });
  // The picture inside the JSON carries the same Content Credentials as a Venice route's answer.
  if (result.provenance) reply.header('x-retouch-provenance', result.provenance);
  if (result.enlargedWith) reply.header('x-retouch-enlarged-with', result.enlargedWith);
  const outputFormat = fields.output_format ?? 'png';
  if (fields.stream === 'true') {
    const settings = {
      size: fields.size ?? 'auto',
      quality: fields.quality ?? 'auto',
      background: fields.background ?? 'auto',
      outputFormat,
    };
    return sendEvents(reply, [completedEvent(result, settings)]);
  }
  return reply.type('application/json').send(toOpenAiImage(result, outputFormat));
}

/** OpenAI's answer: the image as base64 JSON. */
function toOpenAiImage(result: JobResult, format: string) {
  return {
    created: Math.floor(Date.now() / 1000),
    data: [{ b64_json: result.body.toString('base64') }],
    output_format: format,
    size: `${result.width}x${result.height}`,
  };
}
