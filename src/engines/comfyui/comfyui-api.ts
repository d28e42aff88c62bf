import { FormData, type Dispatcher } from 'undici';
import { BackendError } from '../remote-kit/backend-error.js';
import { ensureOk, httpCall, jsonOf } from '../remote-kit/http.js';
import type { EndpointConfig } from '../remote-kit/options.js';
import type { ApiWorkflow } from './workflow.js';

/** An image a ComfyUI node saved, as `executed` messages and `/history` list it. */
export interface ImageRef {
  filename: string;
  subfolder: string;
  type: string;
}

export type NodeOutputs = Record<string, { images?: ImageRef[] } | undefined>;

/** One entry of `GET /history/{prompt_id}`. */
export interface HistoryEntry {
  outputs?: NodeOutputs;
  status?: { status_str?: string; completed?: boolean; messages?: Array<[string, Record<string, unknown>]> };
}

/**
 * The HTTP routes of ComfyUI's server that a job needs (server.py): upload an input, queue a prompt, read
 * its history, download an output, cancel. Each method is one request; errors are BackendErrors.
 *
 * @example
 * const api = new ComfyUiApi(dispatcher, { url: 'http://gpu-1:8188', maxConcurrent: 1 });
 * const name = await api.upload(png, 'retouch-1.png', signal);
 */
export class ComfyUiApi {
  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly endpoint: EndpointConfig,
  ) {}

  /** POST /upload/image; resolves with the value a LoadImage node takes (`subfolder/name` or `name`). */
  async upload(png: Buffer, filename: string, signal: AbortSignal): Promise<string> {
    const form = new FormData();
    form.set('image', new Blob([new Uint8Array(png)], { type: 'image/png' }), filename);
    form.set('type', 'input');
    form.set('overwrite', 'true');
    const answer = await httpCall(this.dispatcher, this.endpoint, { method: 'POST', path: 'upload/image', body: form, signal });
    ensureOk(answer, 'POST /upload/image');
    const saved = jsonOf<{ name?: string; subfolder?: string }>(answer, 'POST /upload/image');
    if (!saved.name) throw new BackendError('failed', 'POST /upload/image: no name in the answer');
    return saved.subfolder ? `${saved.subfolder}/${saved.name}` : saved.name;
  }

  /** POST /prompt; resolves with the prompt id. A workflow that fails validation is the operator's to fix. */
  async queuePrompt(workflow: ApiWorkflow, clientId: string, signal: AbortSignal): Promise<string> {
    const answer = await httpCall(this.dispatcher, this.endpoint, {
      method: 'POST',
      path: 'prompt',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: workflow, client_id: clientId }),
      signal,
    });
    if (answer.status === 400) {
      const body = jsonOf<{ error?: unknown; node_errors?: unknown }>(answer, 'POST /prompt');
      throw new BackendError('failed', `the workflow was rejected: ${describeRejection(body)}`, { status: 400 });
    }
    ensureOk(answer, 'POST /prompt');
    const queued = jsonOf<{ prompt_id?: string; node_errors?: Record<string, unknown> }>(answer, 'POST /prompt');
    if (!queued.prompt_id) throw new BackendError('failed', 'POST /prompt: no prompt_id in the answer');
    return queued.prompt_id;
  }

  /** GET /history/{prompt_id}; undefined while the prompt has not finished. */
  async history(promptId: string, signal: AbortSignal): Promise<HistoryEntry | undefined> {
    const path = `history/${encodeURIComponent(promptId)}`;
    const answer = ensureOk(await httpCall(this.dispatcher, this.endpoint, { method: 'GET', path, signal }), `GET /${path}`);
    return jsonOf<Record<string, HistoryEntry>>(answer, 'GET /history')[promptId];
  }

  /** GET /view: the bytes of a saved image. */
  async view(image: ImageRef, signal: AbortSignal): Promise<Buffer> {
    const query = { filename: image.filename, subfolder: image.subfolder ?? '', type: image.type ?? 'output' };
    const answer = await httpCall(this.dispatcher, this.endpoint, { method: 'GET', path: 'view', query, signal });
    if (answer.status === 404) throw new BackendError('failed', `GET /view: output ${image.filename} not found`);
    return ensureOk(answer, 'GET /view').body;
  }

  /**
   * Stops a prompt: removes it from the queue if it waits there, interrupts it if it runs. The prompt id
   * in /interrupt's body makes ComfyUI interrupt only that prompt (servers that ignore it interrupt the
   * running one, which is why the caller only interrupts prompts it saw start).
   */
  async cancel(promptId: string, running: boolean): Promise<void> {
    const signal = AbortSignal.timeout(5_000);
    const post = (path: string, body: unknown) =>
      httpCall(this.dispatcher, this.endpoint, {
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal,
      });
    await post('queue', { delete: [promptId] });
    if (running) await post('interrupt', { prompt_id: promptId });
  }

  /** GET /system_stats: the cheapest route that proves the server is up and answering. */
  async systemStats(signal: AbortSignal): Promise<void> {
    const answer = await httpCall(this.dispatcher, this.endpoint, { method: 'GET', path: 'system_stats', signal });
    ensureOk(answer, 'GET /system_stats');
    jsonOf(answer, 'GET /system_stats');
  }
}

/** ComfyUI's validation answer in one line: the error's message and each node's first error. */
function describeRejection(body: { error?: unknown; node_errors?: unknown }): string {
  const error = body.error as { message?: string; details?: string } | string | undefined;
  const parts = [typeof error === 'string' ? error : [error?.message, error?.details].filter(Boolean).join(': ')];
  const nodeErrors = (body.node_errors ?? {}) as Record<
    string,
    { class_type?: string; errors?: Array<{ message?: string; details?: string }> }
  >;
  for (const [node, value] of Object.entries(nodeErrors)) {
    const first = value?.errors?.[0];
    if (first) parts.push(`node ${node} (${value.class_type}): ${first.message}${first.details ? ` (${first.details})` : ''}`);
  }
  return parts.filter(Boolean).join('; ');
}
