import { randomInt } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Agent } from 'undici';
import { ApiError, isApiError } from '../../errors.js';
import { IMAGE_OPERATIONS } from '../../operations/image-operations.js';
import { sleep, withDeadline } from '../../util/abort.js';
import type { Engine, EngineRequest, EngineResult, EngineStatus } from '../engine.js';
import type { EngineContext } from '../context.js';
import { BackendError, apiErrorFromBackend, toBackendError } from './backend-error.js';
import type { BackendCall, RemoteBackend } from './backend.js';
import { EndpointPool, EndpointState } from './endpoint-pool.js';
import { finishResult } from './finish-result.js';
import { HealthChecker } from './health-checker.js';
import { createDispatcher } from './http.js';
import { backendMetrics, type BackendMetrics, type EndpointLabels } from './metrics.js';
import type { RemoteOptions } from './options.js';
import { prepareInputs, type PreparedInputs } from './prepare-inputs.js';
import { IMAGING_POOL } from '../../resources/imaging-pool.js';
import { backoffDelay } from './retry.js';

/**
 * The engine of every generative model on a GPU server. It prepares the images once, sends the job to
 * the least busy healthy endpoint, retries connection errors, 429 and 503 with backoff and jitter on
 * another endpoint when there is one, and composites the answer. The protocol itself is the backend's.
 *
 * @example
 * const engine = new RemoteEngine('qwen-edit', new ComfyUiBackend(workflow), options, context);
 * const { png } = await engine.run({ operation: 'edit', images: [photo], prompt: 'add snow', options: {}, signal });
 */
export class RemoteEngine implements Engine {
  readonly kind: string;
  private readonly pool: EndpointPool;
  private readonly health?: HealthChecker;
  private readonly dispatcher: Agent;
  private readonly metrics: BackendMetrics;
  private readonly logger: FastifyBaseLogger;
  private readonly attemptTimeoutMs: number;
  private closed = false;

  constructor(
    private readonly modelId: string,
    private readonly backend: RemoteBackend,
    private readonly options: RemoteOptions,
    private readonly context: Pick<EngineContext, 'logger' | 'metrics' | 'resources' | 'endpointSlots'>,
    /** The model's whole-run budget; one attempt may not take longer (see RemoteOptions.timeoutMs). */
    modelTimeoutMs: number,
  ) {
    this.kind = backend.kind;
    this.attemptTimeoutMs = Math.min(options.timeoutMs ?? modelTimeoutMs, modelTimeoutMs);
    this.logger = context.logger;
    this.metrics = backendMetrics(context.metrics);
    this.dispatcher = createDispatcher();
    const breaker = { failureThreshold: options.breakerFailureThreshold, openMs: options.breakerOpenMs };
    // Across replicas an endpoint's maxConcurrent is the deployment's, counted in the shared slots.
    const shared = context.endpointSlots ? { slots: context.endpointSlots, scope: modelId } : undefined;
    this.pool = new EndpointPool(
      options.endpoints.map((config, i) => new EndpointState(config, config.name ?? `${modelId}#${i}`, breaker)),
      shared,
    );
    if (this.pool.endpoints.length > 0 && options.healthCheckIntervalMs > 0) {
      this.health = new HealthChecker(
        this.pool.endpoints,
        (endpoint, signal) => backend.probe(endpoint.config, signal, this.dispatcher),
        {
          intervalMs: options.healthCheckIntervalMs,
          timeoutMs: options.healthCheckTimeoutMs,
          onChange: (endpoint) => this.onHealthChange(endpoint),
        },
      );
      this.health.start();
    }
    this.refreshGauges();
  }

  status(): EngineStatus {
    const endpoints = this.pool.endpoints;
    if (endpoints.length === 0) return { online: false, reason: `no ${this.kind} endpoint configured`, unserved: true };
    this.refreshGauges();
    if (this.pool.anyUsable) return { online: true };
    return { online: false, reason: `no healthy ${this.kind} endpoint (${endpoints.length} configured)` };
  }

  /** Published under `model_spec` in GET /models: the backend kind and endpoint counts, never their URLs. */
  describe(): Record<string, unknown> {
    const endpoints = this.pool.endpoints;
    return { backend: { kind: this.kind, endpoints: endpoints.length, healthy: endpoints.filter((e) => e.usable).length } };
  }

  async run(request: EngineRequest): Promise<EngineResult> {
    const status = this.status();
    if (!status.online && status.unserved) {
      throw new ApiError('MODEL_NOT_FOUND', `Model ${this.modelId} is not served by this server (${status.reason})`);
    }
    if (!status.online) {
      throw new ApiError('MODEL_UNAVAILABLE', `Model ${this.modelId} is offline, retry later`, {
        headers: { 'Retry-After': '30' },
      });
    }
    if (!this.backend.operations.has(request.operation)) {
      throw new ApiError('INVALID_PARAMETERS', `Model ${this.modelId} does not do ${IMAGE_OPERATIONS[request.operation].noun}`);
    }
    const pool = this.context.resources.get(IMAGING_POOL);
    const inputs = await prepareInputs(request, { ...this.imageSettings(), maskFeather: this.options.maskFeather }, pool);
    const seed = request.options.seed ?? randomInt(0, 2 ** 47);
    const output = await this.callWithRetries(request, inputs, seed);
    const keepSize = this.backend.forwardsResolution === true && request.options.resolution !== undefined;
    return finishResult(output, inputs, request, pool, keepSize);
  }

  private imageSettings() {
    const defaults = this.backend.imageDefaults;
    return {
      maxPixels: this.options.maxPixels ?? defaults.maxPixels,
      multipleOf: this.options.multipleOf ?? defaults.multipleOf,
      maxUploadBytes: this.options.maxUploadBytes ?? defaults.maxUploadBytes,
    };
  }

  private async callWithRetries(request: EngineRequest, inputs: PreparedInputs, seed: number): Promise<Buffer> {
    const { signal } = request;
    let avoid: EndpointState | undefined;
    for (let attempt = 0; ; attempt++) {
      const queuedAt = performance.now();
      const lease = await this.pool.acquire(signal, avoid);
      const endpoint = lease.endpoint;
      const labels: EndpointLabels = { model: this.modelId, backend: this.kind, endpoint: endpoint.label };
      this.metrics.outstanding.inc(labels);
      let started = false;
      const markStarted = () => {
        if (started) return;
        started = true;
        this.metrics.queueTime.observe(labels, (performance.now() - queuedAt) / 1000);
      };
      if (!this.backend.reportsStart) markStarted();
      const attemptDeadline = withDeadline(signal, this.attemptTimeoutMs);
      const attemptSignal = attemptDeadline.signal;
      const call: BackendCall = {
        endpoint: endpoint.config,
        operation: request.operation,
        prompt: request.prompt,
        inputs,
        seed,
        options: request.options,
        notes: request.notes ?? {},
        signal: attemptSignal,
        dispatcher: this.dispatcher,
        markStarted,
      };
      const sentAt = performance.now();
      try {
        const output = await this.backend.run(call);
        endpoint.breaker.onSuccess();
        this.metrics.requests.inc({ ...labels, outcome: 'success' });
        this.metrics.latency.observe(labels, (performance.now() - sentAt) / 1000);
        return output;
      } catch (thrown) {
        if (signal.aborted) {
          endpoint.breaker.onNeutral();
          this.metrics.requests.inc({ ...labels, outcome: 'cancelled' });
          throw signal.reason;
        }
        const error = this.classify(thrown, attemptSignal);
        if (!(error instanceof BackendError)) {
          endpoint.breaker.onNeutral();
          throw error;
        }
        this.recordFailure(endpoint, labels, error);
        if (!error.retryable || attempt >= this.options.retries) throw apiErrorFromBackend(error);
        avoid = endpoint;
        const delay = backoffDelay(attempt, this.backoffPolicy(), error.details.retryAfterMs);
        await sleep(delay, signal);
      } finally {
        attemptDeadline.dispose();
        lease.release();
        this.metrics.outstanding.dec(labels);
        this.refreshGauges();
      }
    }
  }

  private classify(thrown: unknown, attemptSignal: AbortSignal): BackendError | ApiError | Error {
    if (isApiError(thrown)) return thrown;
    if (attemptSignal.aborted) {
      return new BackendError('timeout', `no answer within ${this.attemptTimeoutMs} ms`, { cause: thrown });
    }
    return toBackendError(thrown, 'backend call');
  }

  private recordFailure(endpoint: EndpointState, labels: EndpointLabels, error: BackendError): void {
    if (error.countsAgainstEndpoint) endpoint.breaker.onFailure();
    else endpoint.breaker.onNeutral();
    this.metrics.requests.inc({ ...labels, outcome: 'error' });
    this.metrics.errors.inc({ ...labels, kind: error.kind });
    // The operator's log gets the backend's own words; the client gets apiErrorFromBackend's.
    this.logger.warn(
      { model: this.modelId, backend: this.kind, endpoint: endpoint.label, kind: error.kind, status: error.details.status },
      `backend call failed: ${error.message}`,
    );
  }

  private backoffPolicy() {
    return { baseDelayMs: this.options.retryBaseDelayMs, maxDelayMs: this.options.retryMaxDelayMs };
  }

  private onHealthChange(endpoint: EndpointState): void {
    const log = { model: this.modelId, backend: this.kind, endpoint: endpoint.label };
    if (endpoint.health === 'up') this.logger.info(log, 'backend endpoint is healthy');
    else this.logger.warn({ ...log, problem: endpoint.healthProblem }, 'backend endpoint failed its health check');
    this.refreshGauges();
    this.pool.notify();
  }

  private refreshGauges(): void {
    for (const endpoint of this.pool.endpoints) {
      const labels = { model: this.modelId, backend: this.kind, endpoint: endpoint.label };
      this.metrics.up.set(labels, endpoint.usable ? 1 : 0);
    }
  }

  /** Stops health checks and closes the connections; a second call finds nothing left to close. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.health?.stop();
    await this.dispatcher.close();
  }
}
