import { randomUUID } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { ApiError } from '../../errors.js';
import type { EngineOperation } from '../engine.js';
import { BackendError } from '../remote-kit/backend-error.js';
import type { BackendCall, RemoteBackend } from '../remote-kit/backend.js';
import type { EndpointConfig, ImageDefaults } from '../remote-kit/options.js';
import { sleep } from '../../util/abort.js';
import { ComfyUiApi, type HistoryEntry, type ImageRef, type NodeOutputs } from './comfyui-api.js';
import { PromptSocket } from './progress-socket.js';
import { applyMapping, type LoadedWorkflow } from './workflow.js';

export interface ComfyUiSettings {
  /** How often /history is read when the websocket is unavailable or was lost. */
  historyPollMs: number;
}

/** What this backend forwards (the kind's declared operations; the others are refused before any call). */
export const COMFYUI_OPERATIONS: ReadonlyArray<EngineOperation> = ['edit', 'multi-edit'];

/**
 * A ComfyUI server: upload the images (POST /upload/image), queue the mapped workflow (POST /prompt),
 * follow it on the websocket (/ws?clientId=), fall back to GET /history/{id} when the socket is missing
 * or drops, and download the output (GET /view). A cancelled job is removed from the queue or interrupted.
 *
 * @example new ComfyUiBackend(loadWorkflow('workflows/qwen-image-edit.json'), { historyPollMs: 250 })
 */
export class ComfyUiBackend implements RemoteBackend {
  readonly kind = 'comfyui';
  readonly operations: ReadonlySet<EngineOperation> = new Set(COMFYUI_OPERATIONS);
  // Qwen-Image-Edit works at about one megapixel, on a grid of 16 (8x VAE, 2x2 patches).
  readonly imageDefaults: ImageDefaults = { maxPixels: 1024 * 1024, multipleOf: 16, maxUploadBytes: 32 * 1024 * 1024 };
  readonly reportsStart = true;

  constructor(
    private readonly workflow: LoadedWorkflow,
    private readonly settings: ComfyUiSettings,
  ) {}

  async run(call: BackendCall): Promise<Buffer> {
    const { endpoint, inputs, signal } = call;
    const pictures = inputs.images.filter((image) => image.role !== 'mask');
    const slots = this.workflow.mapping.images.length;
    if (pictures.length > slots) {
      throw new ApiError('INVALID_PARAMETERS', `This model takes at most ${slots} image${slots === 1 ? '' : 's'} besides masks`);
    }
    const api = new ComfyUiApi(call.dispatcher, endpoint);
    const clientId = randomUUID();
    const names = await Promise.all(
      pictures.map((image, i) => api.upload(image.png, `retouch-${clientId}-${i + 1}.png`, signal)),
    );
    const base = inputs.images[0];
    const workflow = applyMapping(this.workflow, {
      prompt: call.prompt,
      images: names,
      seed: call.seed,
      width: base.width,
      height: base.height,
    });
    const socket = await PromptSocket.open(endpoint, clientId, signal);
    let promptId: string | undefined;
    let started = false;
    const onStart = () => {
      started = true;
      call.markStarted();
    };
    try {
      promptId = await api.queuePrompt(workflow, clientId, signal);
      const outputs = await this.waitForOutputs(api, socket, promptId, signal, onStart);
      call.markStarted();
      return await api.view(this.pickOutput(outputs), signal);
    } catch (error) {
      if (promptId && signal.aborted) void api.cancel(promptId, started).catch(() => undefined);
      throw error;
    } finally {
      socket?.close();
    }
  }

  private async waitForOutputs(
    api: ComfyUiApi,
    socket: PromptSocket | undefined,
    promptId: string,
    signal: AbortSignal,
    onStart: () => void,
  ): Promise<NodeOutputs> {
    const outcome = socket ? await socket.follow(promptId, signal, onStart) : { kind: 'lost' as const };
    switch (outcome.kind) {
      case 'error':
        throw new BackendError(outcome.outOfMemory ? 'capacity' : 'failed', `execution failed at ${outcome.message}`);
      case 'interrupted':
        throw new BackendError('failed', 'the prompt was interrupted on the server');
      case 'done':
        // Outputs of cached nodes may not be repeated on the socket; the history has them all.
        if (this.findImage(outcome.outputs)) return outcome.outputs;
        return (await api.history(promptId, signal))?.outputs ?? {};
      case 'lost':
        return this.pollHistory(api, promptId, signal);
    }
  }

  /** The fallback of the websocket: reads the prompt's history until it has finished. */
  private async pollHistory(api: ComfyUiApi, promptId: string, signal: AbortSignal): Promise<NodeOutputs> {
    for (;;) {
      const entry = await api.history(promptId, signal);
      if (entry?.status?.status_str === 'error') throw new BackendError('failed', `execution failed: ${historyError(entry)}`);
      if (entry && (entry.status?.completed || entry.status?.status_str === 'success')) return entry.outputs ?? {};
      await sleep(this.settings.historyPollMs, signal);
    }
  }

  private pickOutput(outputs: NodeOutputs): ImageRef {
    const image = this.findImage(outputs);
    if (!image) throw new BackendError('failed', 'the workflow finished without an output image');
    return image;
  }

  private findImage(outputs: NodeOutputs): ImageRef | undefined {
    const wanted = this.workflow.mapping.output;
    if (wanted) return outputs[wanted]?.images?.[0];
    // Without a mapped output, a saved image (type "output") wins over a preview (type "temp").
    const all = Object.values(outputs).flatMap((output) => output?.images ?? []);
    return all.find((image) => image.type === 'output') ?? all[0];
  }

  async probe(endpoint: EndpointConfig, signal: AbortSignal, dispatcher: Dispatcher): Promise<void> {
    await new ComfyUiApi(dispatcher, endpoint).systemStats(signal);
  }
}

function historyError(entry: HistoryEntry): string {
  const error = entry.status?.messages?.find(([type]) => type === 'execution_error')?.[1];
  if (!error) return 'no details';
  return `node ${error.node_id} (${error.node_type}): ${error.exception_type}: ${error.exception_message}`;
}
