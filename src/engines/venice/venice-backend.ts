import type { Dispatcher } from 'undici';
import { IMAGE_OPERATION_NAMES, imageOperation, type UpstreamField } from '../../operations/image-operations.js';
import type { EngineOperation, EngineOptions } from '../engine.js';
import type { BackendCall, RemoteBackend } from '../remote-kit/backend.js';
import { ensureOk, httpCall, jsonOf, type HttpAnswer } from '../remote-kit/http.js';
import type { EndpointConfig, ImageDefaults } from '../remote-kit/options.js';

export interface VeniceSettings {
  /** The upstream's model id for edits and multi-edits (background removal names none). */
  model: string;
}

/**
 * Venice's image API as an upstream (or any server with the same API, this one included): the request
 * is forwarded with the operator's key, images as base64 in JSON, and the answer is the PNG itself. The
 * endpoint URL is the API base (`https://api.venice.ai/api/v1`).
 *
 * @example new VeniceBackend({ model: 'qwen-edit' })
 */
export class VeniceBackend implements RemoteBackend {
  readonly kind = 'venice';
  // Every operation of the API: the upstream has the same routes (paths and bodies from the operation table).
  readonly operations: ReadonlySet<EngineOperation> = new Set(IMAGE_OPERATION_NAMES);
  // Venice's documented limits: under 25 MB per image (base64 adds a third on the wire, which it accepts).
  readonly imageDefaults: ImageDefaults = { maxPixels: 4096 * 4096, multipleOf: 1, maxUploadBytes: 20 * 1024 * 1024 };
  readonly reportsStart = false;
  readonly forwardsResolution = true;

  constructor(private readonly settings: VeniceSettings) {}

  async run(call: BackendCall): Promise<Buffer> {
    const operation = imageOperation(call.operation);
    const images = call.inputs.images.map((image) => image.png.toString('base64'));
    const fields = upstreamFields(call.options);
    const body = {
      ...(operation.modelField ? { [operation.modelField]: this.settings.model } : {}),
      ...(operation.prompt ? { prompt: call.prompt } : {}),
      [operation.imageField]: operation.imageField === 'images' ? images : images[0],
      ...Object.fromEntries(operation.upstreamFields.flatMap((name) => (name in fields ? [[name, fields[name]]] : []))),
    };
    // The table's paths are absolute; the endpoint URL is the API base (`.../api/v1`).
    const path = operation.path.replace(/^\/api\/v1\//, '');
    const answer = await httpCall(call.dispatcher, call.endpoint, {
      method: 'POST',
      path,
      headers: { 'content-type': 'application/json', accept: 'image/png' },
      body: JSON.stringify(body),
      signal: call.signal,
    });
    const ok = ensureOk(answer, `POST /${path}`, isContentViolation(answer));
    if (ok.headers['x-venice-is-blurred'] === 'true') call.notes.blurred = true;
    const enhanced = ok.headers['x-venice-enhanced-prompt'];
    if (typeof enhanced === 'string' && enhanced) call.notes.enhancedPrompt = safeDecode(enhanced);
    return ok.body;
  }

  /**
   * Healthy when GET /models answers, and the upstream does not itself list the model as offline (a
   * Venice-compatible upstream marks a model whose own backend is down with `model_spec.offline`).
   */
  async probe(endpoint: EndpointConfig, signal: AbortSignal, dispatcher: Dispatcher): Promise<void> {
    const answer = ensureOk(await httpCall(dispatcher, endpoint, { method: 'GET', path: 'models', signal }), 'GET /models');
    const list = jsonOf<{ data?: Array<{ id?: string; model_spec?: { offline?: boolean } }> }>(answer, 'GET /models');
    const entry = list.data?.find((model) => model.id === this.settings.model);
    if (entry?.model_spec?.offline) throw new Error(`the upstream lists model ${this.settings.model} as offline`);
  }
}

/**
 * Venice's own fields as the client sent them (defaults resolved by our request path), under their wire
 * names; each operation forwards those the table lists for it. The answer is asked for as PNG: it is
 * decoded and written out again in the client's format here, so a lossy upstream encoding would only
 * add a second loss.
 */
function upstreamFields(options: EngineOptions): Partial<Record<UpstreamField, unknown>> {
  return {
    output_format: 'png',
    ...(options.resolution ? { resolution: options.resolution } : {}),
    ...(options.quality ? { quality: options.quality } : {}),
    ...(options.safeMode !== undefined ? { safe_mode: options.safeMode } : {}),
    ...(options.enhancePrompt ? { enhance_prompt: true } : {}),
    ...(options.disablePromptOptimizationThinking !== undefined
      ? { disable_prompt_optimization_thinking: options.disablePromptOptimizationThinking }
      : {}),
    ...(options.scale !== undefined ? { scale: options.scale } : {}),
    ...(options.creativity !== undefined ? { creativity: options.creativity } : {}),
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function isContentViolation(answer: HttpAnswer): boolean {
  return answer.headers['x-venice-is-content-violation'] === 'true';
}
