import { createHash } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ApiError } from '../../errors.js';
import { runImageJob } from '../../jobs/run-image-job.js';
import type { AppServices } from '../../services.js';
import { authHook } from '../plugins/auth.js';
import { logOutcome, toApiError } from '../plugins/error-handler.js';
import { rateLimitHook } from '../plugins/rate-limit.js';
import { multipartBudget, UploadedFile } from '../request-body.js';
import { PROMPT_MAX, seedField } from '../schemas.js';
import { chooseModel } from './model-choice.js';

/**
 * OpenAI's image edit API on this server's engines: `POST /v1/images/edits` (multipart `image` or
 * `image[]`, `prompt`, `model`, `mask`, `size`, `n=1`, `response_format=b64_json`) answering
 * `{created, data: [{b64_json}]}`, and `GET /v1/models`. Same keys, credits, limits, policy and engines
 * as the Venice routes; errors in OpenAI's shape `{error: {message, type, param, code}}`, so the official
 * `openai` clients work against it with only `baseURL` changed.
 *
 * @example
 * const client = new OpenAI({ baseURL: 'http://127.0.0.1:8080/v1', apiKey: RETOUCH_KEY });
 * const { data } = await client.images.edit({ model: 'qwen-edit', image: file, prompt: 'add a hat' });
 */
export async function registerOpenAiImagesEdits(app: FastifyInstance, services: AppServices): Promise<void> {
  await app.register(async (v1) => {
    v1.setErrorHandler(openAiErrorHandler);
    v1.addHook('onRequest', authHook(services));
    v1.addHook('onRequest', rateLimitHook(services));
    v1.addHook('onSend', pngToOpenAiJson);
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

export const openAiEditFieldsSchema = z.object({
  prompt: z.string({ error: 'Expected a prompt string' }).min(1, 'Prompt must not be empty').max(PROMPT_MAX),
  model: z.string().min(1).max(100).optional(),
  n: z.coerce.number().int().refine((n) => n === 1, 'Only n=1 is supported').optional(),
  size: z.string().max(20).optional(),
  response_format: z.enum(['b64_json', 'url']).refine((f) => f === 'b64_json', 'Only response_format=b64_json is supported').optional(),
  stream: z.enum(['false']).optional(),
  seed: seedField.optional(),
});

async function imagesEdits(services: AppServices, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (!request.isMultipart()) {
    throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'Invalid content type: /v1/images/edits takes multipart/form-data');
  }
  const body = await readEditForm(request);
  const parsed = openAiEditFieldsSchema.safeParse(body.fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiError('INVALID_PARAMETERS', `${issue.path.join('.') || 'body'}: ${issue.message}`, { body: { param: issue.path[0] } });
  }
  const fields = parsed.data;
  if (body.images.length === 0) throw paramError('image', 'Expected at least one image as `image` or `image[]`');
  const layers = body.images.length + (body.mask ? 1 : 0);
  if (layers > 3) throw paramError('image', 'At most 3 images, the mask included, are supported');
  const model = chooseModel(services, fields.model, 'inpaint');
  const images = [...body.images, ...(body.mask ? [body.mask] : [])];
  await runImageJob(services, request, reply, {
    operation: images.length > 1 ? 'multi-edit' : 'edit',
    model,
    prompt: fields.prompt,
    images: images.map((file, i) => ({ field: file === body.mask ? 'mask' : `image[${i}]`, value: file })),
    allowUrl: false,
    aspectRatio: sizeToAspectRatio(fields.size, model.constraints.aspectRatios),
    options: {
      seed: fields.seed,
      // OpenAI's mask is always a mask (alpha convention); other images are reference layers.
      layerRoles: images.slice(1).map((file) => (file === body.mask ? 'mask' : 'overlay')),
    },
    bodyHash: `openai-edit:${body.hash}`,
  });
}

interface EditForm {
  fields: Record<string, string>;
  images: UploadedFile[];
  mask?: UploadedFile;
  hash: string;
}

/** Reads the multipart form: `image` and `image[]` file parts (in order), `mask`, and text fields. */
async function readEditForm(request: FastifyRequest): Promise<EditForm> {
  const hasher = createHash('sha256');
  const form: EditForm = { fields: {}, images: [], hash: '' };
  const total = multipartBudget(request);
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      const bytes = await part.toBuffer();
      total.add(bytes.length);
      hasher.update(`file:${part.fieldname}:${bytes.length}:`).update(bytes);
      const file = new UploadedFile(bytes, part.filename);
      if (part.fieldname === 'image' || part.fieldname === 'image[]') form.images.push(file);
      else if (part.fieldname === 'mask' && !form.mask) form.mask = file;
      else throw paramError(part.fieldname, `Unexpected file field "${part.fieldname}"`);
    } else {
      if (part.valueTruncated) throw new ApiError('PAYLOAD_TOO_LARGE', `Field "${part.fieldname}" is too large`);
      const value = String(part.value);
      total.add(value.length);
      hasher.update(`field:${part.fieldname}:${value.length}:`).update(value);
      form.fields[part.fieldname] = value;
    }
  }
  form.hash = hasher.digest('hex');
  return form;
}

/**
 * OpenAI's `size` as one of the model's aspect ratios: the output keeps the input's resolution, cropped
 * to the ratio (`1536x1024` is 3:2). `auto` or no size keeps the input's own ratio.
 */
export function sizeToAspectRatio(size: string | undefined, allowed: string[]): string | undefined {
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

/** The PNG that the shared job sends, rewritten as OpenAI's JSON answer. */
async function pngToOpenAiJson(_request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  if (!Buffer.isBuffer(payload) || reply.getHeader('content-type') !== 'image/png') return payload;
  reply.type('application/json');
  const width = payload.readUInt32BE(16);
  const height = payload.readUInt32BE(20);
  return JSON.stringify({
    created: Math.floor(Date.now() / 1000),
    data: [{ b64_json: payload.toString('base64') }],
    output_format: 'png',
    size: `${width}x${height}`,
  });
}

const OPENAI_CODES: Partial<Record<ApiError['code'], [type: string, code: string]>> = {
  CONTENT_VIOLATION: ['image_generation_user_error', 'moderation_blocked'],
  UNAUTHORIZED: ['invalid_request_error', 'invalid_api_key'],
  INSUFFICIENT_BALANCE: ['insufficient_quota', 'insufficient_quota'],
  RATE_LIMITED: ['requests', 'rate_limit_exceeded'],
};

/** Every failure in OpenAI's error shape, with this API's statuses and headers. */
function openAiErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const apiError = toApiError(error);
  logOutcome(request, error, apiError);
  if (apiError.code === 'CLIENT_CLOSED' && reply.raw.destroyed) return;
  const [type, code] = OPENAI_CODES[apiError.code] ?? [apiError.status >= 500 ? 'server_error' : 'invalid_request_error', apiError.code.toLowerCase()];
  const param = typeof apiError.body.param === 'string' ? apiError.body.param : null;
  void reply
    .status(apiError.status)
    .headers(apiError.headers)
    .type('application/json')
    .send({ error: { message: apiError.message, type, param, code } });
}
