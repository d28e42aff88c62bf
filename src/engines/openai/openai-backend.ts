import { FormData, type Dispatcher } from 'undici';
import type { EngineOperation } from '../engine.js';
import { BackendError } from '../remote-kit/backend-error.js';
import type { BackendCall, RemoteBackend } from '../remote-kit/backend.js';
import { ensureOk, httpCall, jsonOf, type HttpAnswer } from '../remote-kit/http.js';
import { transparencyMaskPng } from '../remote-kit/mask-layers.js';
import type { EndpointConfig, ImageDefaults } from '../remote-kit/options.js';

export interface OpenAiSettings {
  /** The backend's model name (`gpt-image-1`, `Qwen/Qwen-Image-Edit-2509`, ...). */
  model: string;
  /** `omit` lets the server choose; `input` sends the sent image's own size; else a literal like `1024x1024`. */
  size: string;
  /** `omit` for gpt-image models (they refuse the field and always answer b64_json). */
  responseFormat: 'omit' | 'b64_json' | 'url';
  /** Extra form fields passed as they are (`quality`, `input_fidelity`, `seed` for servers that take one). */
  extraFields: Record<string, string>;
  /** Send the request's seed as a `seed` field (vLLM-Omni and SGLang accept it; OpenAI does not). */
  sendSeed: boolean;
}

/** OpenAI's error codes for a prompt or image its safety system refused. */
const REFUSAL_CODES = new Set(['moderation_blocked', 'content_policy_violation', 'content_filter']);

/** What this backend forwards (the kind's declared operations; the others are refused before any call). */
export const OPENAI_OPERATIONS: ReadonlyArray<EngineOperation> = ['edit', 'multi-edit'];

/**
 * Any server that implements OpenAI's `POST /v1/images/edits`: OpenAI itself, vLLM-Omni, SGLang's
 * diffusion server, and this project's own route. The endpoint URL is the API base, `/v1` included
 * (`https://api.openai.com/v1`). Images go as `image` (one) or `image[]` (several), a mask layer as
 * `mask` in OpenAI's convention (transparent = edit), and the answer's `b64_json` (or `url`) is the image.
 *
 * @example new OpenAiBackend({ model: 'gpt-image-1', size: 'omit', responseFormat: 'omit', extraFields: {}, sendSeed: false })
 */
export class OpenAiBackend implements RemoteBackend {
  readonly kind = 'openai';
  readonly operations: ReadonlySet<EngineOperation> = new Set(OPENAI_OPERATIONS);
  readonly imageDefaults: ImageDefaults = { maxPixels: 1536 * 1536, multipleOf: 1, maxUploadBytes: 25 * 1024 * 1024 };
  readonly reportsStart = false;

  constructor(private readonly settings: OpenAiSettings) {}

  async run(call: BackendCall): Promise<Buffer> {
    const { inputs, signal } = call;
    const form = new FormData();
    form.set('model', this.settings.model);
    form.set('prompt', call.prompt);
    form.set('n', '1');
    const pictures = inputs.images.filter((image) => image.role !== 'mask');
    const field = pictures.length > 1 ? 'image[]' : 'image';
    for (const [i, image] of pictures.entries()) form.append(field, pngBlob(image.png), `image-${i + 1}.png`);
    const base = inputs.images[0];
    if (inputs.maskWeights) {
      const mask = await transparencyMaskPng(inputs.frame, inputs.maskWeights, base.width, base.height);
      form.set('mask', pngBlob(mask), 'mask.png');
    }
    const size = this.settings.size === 'input' ? `${base.width}x${base.height}` : this.settings.size;
    if (size !== 'omit') form.set('size', size);
    if (this.settings.responseFormat !== 'omit') form.set('response_format', this.settings.responseFormat);
    if (this.settings.sendSeed) form.set('seed', String(call.seed));
    for (const [name, value] of Object.entries(this.settings.extraFields)) form.set(name, value);

    const answer = await httpCall(call.dispatcher, call.endpoint, { method: 'POST', path: 'images/edits', body: form, signal });
    ensureOk(answer, 'POST /images/edits', isRefusal(answer));
    const body = jsonOf<{ data?: Array<{ b64_json?: string; url?: string }> }>(answer, 'POST /images/edits');
    const first = body.data?.[0];
    if (first?.b64_json) return Buffer.from(first.b64_json, 'base64');
    if (first?.url) return this.download(first.url, call);
    throw new BackendError('failed', 'POST /images/edits: the answer has no image');
  }

  /** Fetches a `url` answer (dall-e-2 style) through the same connection pool, as bytes. */
  private async download(url: string, call: BackendCall): Promise<Buffer> {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      throw new BackendError('failed', 'POST /images/edits: the answer has an image URL that is not http(s)');
    }
    const answer = await httpCall(
      call.dispatcher,
      { url: parsed.origin, maxConcurrent: 1 },
      {
        method: 'GET',
        path: parsed.pathname + parsed.search,
        signal: call.signal,
      },
    );
    return ensureOk(answer, 'GET image url').body;
  }

  async probe(endpoint: EndpointConfig, signal: AbortSignal, dispatcher: Dispatcher): Promise<void> {
    const answer = await httpCall(dispatcher, endpoint, { method: 'GET', path: 'models', signal });
    ensureOk(answer, 'GET /models');
    jsonOf(answer, 'GET /models');
  }
}

function pngBlob(png: Buffer): Blob {
  return new Blob([new Uint8Array(png.buffer, png.byteOffset, png.length)], { type: 'image/png' });
}

function isRefusal(answer: HttpAnswer): boolean {
  if (answer.status !== 400) return false;
  try {
    const error = (JSON.parse(answer.body.toString('utf8')) as { error?: { code?: string } }).error;
    return REFUSAL_CODES.has(String(error?.code));
  } catch {
    return false;
  }
}
