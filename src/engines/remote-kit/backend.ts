import type { Dispatcher } from 'undici';
import type { EngineNotes, EngineOperation, EngineOptions } from '../engine.js';
import type { EndpointConfig, ImageDefaults } from './options.js';
import type { PreparedInputs } from './prepare-inputs.js';

/**
 * One kind of GPU server (ComfyUI, an OpenAI-compatible server, Venice). A backend only speaks its
 * protocol to one endpoint; choosing the endpoint, retries, the circuit breaker, health scheduling,
 * timeouts, metrics and compositing are done once for all backends by RemoteEngine.
 *
 * A backend rejects with a BackendError (see backend-error.ts) whose kind says what happened, or with
 * the signal's reason when the signal aborts; it never builds client-facing errors itself.
 *
 * @example
 * const backend: RemoteBackend = new OpenAiBackend(options);
 * const png = await backend.run({ endpoint, inputs, prompt: 'add a hat', operation: 'edit', seed: 7,
 *   signal, dispatcher, markStarted: () => {} });
 */
export interface RemoteBackend {
  /** The engine kind it serves: `comfyui`, `openai` or `venice`. */
  readonly kind: string;
  /** The operations it can serve; the engine refuses the others with a 400 before any network call. */
  readonly operations: ReadonlySet<EngineOperation>;
  /** Image sizes its models accept (pixel budget, side grid, upload cap), unless the config overrides them. */
  readonly imageDefaults: ImageDefaults;
  /** Whether `run` calls `markStarted` itself when the server starts the work (ComfyUI reports it). */
  readonly reportsStart: boolean;
  /** Whether the upstream generates at the requested resolution tier itself (its answer keeps its size). */
  readonly forwardsResolution?: boolean;
  /** Runs one request on one endpoint and resolves with the output image's bytes (any raster format). */
  run(call: BackendCall): Promise<Buffer>;
  /** Resolves when the endpoint answers its health check, rejects with the reason otherwise. */
  probe(endpoint: EndpointConfig, signal: AbortSignal, dispatcher: Dispatcher): Promise<void>;
}

export interface BackendCall {
  endpoint: EndpointConfig;
  operation: EngineOperation;
  prompt: string;
  inputs: PreparedInputs;
  /** The seed of this request (the client's, or a random one), for backends that sample. */
  seed: number;
  /** The request's validated fields (resolution, quality, safe mode, upscale's scale and creativity, ...). */
  options: EngineOptions;
  /** Where a backend reports what its upstream said about the answer (blurred, enhanced prompt). */
  notes: EngineNotes;
  /** Aborted by the client's disconnect, the request's deadline, or this attempt's timeout. */
  signal: AbortSignal;
  dispatcher: Dispatcher;
  /** Tells the engine the server has started the work (ends the queue-time measurement). */
  markStarted(): void;
}
