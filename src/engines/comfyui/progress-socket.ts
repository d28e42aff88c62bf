import WebSocket from 'ws';
import { endpointUrl } from '../remote-kit/http.js';
import type { EndpointConfig } from '../remote-kit/options.js';
import type { NodeOutputs } from './comfyui-api.js';

/** A JSON message of ComfyUI's websocket: `{ "type": "executing", "data": { "node": "40", "prompt_id": ... } }`. */
export interface ComfyMessage {
  type: string;
  // biome-ignore lint/suspicious/noExplicitAny: ComfyUI's message payloads differ by type and are read field by field
  data: Record<string, any>;
}

/** How a prompt ended, as far as the websocket could tell. `lost` means the socket closed first. */
export type PromptOutcome =
  | { kind: 'done'; outputs: NodeOutputs }
  | { kind: 'error'; message: string; outOfMemory: boolean }
  | { kind: 'interrupted' }
  | { kind: 'lost' };

/**
 * The `/ws?clientId=` socket of one job. It is opened before the prompt is queued (ComfyUI sends a
 * prompt's messages only to the client id that queued it, and the first ones can arrive before the
 * answer to POST /prompt), and it buffers messages until `follow` reads them.
 *
 * @example
 * const socket = await PromptSocket.open(endpoint, clientId, signal);
 * const promptId = await api.queuePrompt(workflow, clientId, signal);
 * const outcome = socket ? await socket.follow(promptId, signal, onStart) : { kind: 'lost' };
 */
export class PromptSocket {
  private readonly queue: Array<ComfyMessage | null> = [];
  private wake?: () => void;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      // Binary frames are previews; only JSON frames carry the prompt's state.
      if (isBinary) return;
      try {
        const message = JSON.parse(data.toString()) as ComfyMessage;
        if (message && typeof message.type === 'string') this.push(message);
      } catch {
        // A frame that is not JSON says nothing we can use.
      }
    });
    ws.on('close', () => this.push(null));
    ws.on('error', () => this.push(null));
  }

  /** Connects, or resolves undefined when the server offers no websocket (the caller then polls history). */
  static open(
    endpoint: EndpointConfig,
    clientId: string,
    signal: AbortSignal,
    timeoutMs = 10_000,
  ): Promise<PromptSocket | undefined> {
    const url = endpointUrl(endpoint, 'ws', { clientId });
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const headers = endpoint.apiKey ? { authorization: `Bearer ${endpoint.apiKey}` } : undefined;
    return new Promise((resolve) => {
      const ws = new WebSocket(url, { headers, handshakeTimeout: timeoutMs });
      const fail = () => {
        ws.removeAllListeners();
        ws.on('error', () => undefined);
        ws.terminate();
        resolve(undefined);
      };
      const onAbort = () => fail();
      signal.addEventListener('abort', onAbort, { once: true });
      ws.once('open', () => {
        signal.removeEventListener('abort', onAbort);
        ws.removeListener('error', fail);
        resolve(new PromptSocket(ws));
      });
      ws.once('error', fail);
      ws.once('unexpected-response', fail);
    });
  }

  private push(message: ComfyMessage | null): void {
    this.queue.push(message);
    this.wake?.();
  }

  private async next(signal: AbortSignal): Promise<ComfyMessage | null> {
    while (this.queue.length === 0) {
      if (signal.aborted) throw signal.reason;
      await new Promise<void>((resolve) => {
        const done = () => {
          signal.removeEventListener('abort', done);
          this.wake = undefined;
          resolve();
        };
        this.wake = done;
        signal.addEventListener('abort', done, { once: true });
      });
    }
    return this.queue.shift() ?? null;
  }

  /** Reads the prompt's messages until it ends. `onStart` is called when the server starts it. */
  async follow(promptId: string, signal: AbortSignal, onStart: () => void): Promise<PromptOutcome> {
    const outputs: NodeOutputs = {};
    for (;;) {
      const message = await this.next(signal);
      if (message === null) return { kind: 'lost' };
      const data = message.data ?? {};
      if (data.prompt_id !== undefined && data.prompt_id !== promptId) continue;
      switch (message.type) {
        case 'execution_start':
        case 'progress':
        case 'execution_cached':
          onStart();
          break;
        case 'executing':
          if (data.node === null || data.node === undefined) return { kind: 'done', outputs };
          onStart();
          break;
        case 'executed':
          if (typeof data.node === 'string') outputs[data.node] = data.output;
          break;
        case 'execution_success':
          return { kind: 'done', outputs };
        case 'execution_error':
          return {
            kind: 'error',
            message: `node ${data.node_id} (${data.node_type}): ${data.exception_type}: ${data.exception_message}`,
            outOfMemory: /OutOfMemory|out of memory|Allocation on device/i.test(
              `${data.exception_type} ${data.exception_message}`,
            ),
          };
        case 'execution_interrupted':
          return { kind: 'interrupted' };
      }
    }
  }

  close(): void {
    this.ws.removeAllListeners('close');
    this.ws.on('error', () => undefined);
    this.ws.close();
  }
}
