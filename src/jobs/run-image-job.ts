import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatUsd } from '../accounts/money.js';
import type { EngineOperation, EngineOptions, ModelEntry } from '../engines/engine.js';
import { ApiError, isApiError } from '../errors.js';
import type { RawImage } from '../imaging/raw-image.js';
import { checkPrompt, contentViolationError } from '../policy/index.js';
import type { AppServices } from '../services.js';
import { UploadedFile } from '../http/request-body.js';
import { clientSignal, raceAbort } from './abort.js';
import { findReplay, storeReplay } from './idempotency.js';

/** One image from the request: a string (base64, data URI, URL) or an uploaded file, with its field name. */
export interface ImageSource {
  field: string;
  value: string | UploadedFile;
}

export interface ImageJob {
  operation: EngineOperation;
  model: ModelEntry;
  prompt: string;
  images: ImageSource[];
  /** Whether string inputs may be URLs the server fetches. */
  allowUrl: boolean;
  aspectRatio?: string;
  options: EngineOptions;
  /**
   * The price when it depends on the decoded inputs (upscale: the scale applied); default the model's
   * price. May throw an ApiError to refuse the inputs before any charge.
   */
  priceMicros?: (images: RawImage[]) => number;
  /** Hash of the request body, to recognise idempotent repeats. */
  bodyHash: string;
}

/**
 * The request path shared by the three image routes, after the body is validated:
 * checks against the model -> content policy -> idempotent replay -> decode inputs -> reserve credit ->
 * wait for capacity -> run the engine -> commit the charge -> send the PNG.
 * Any failure after the reservation releases it, so a failed request is never charged.
 */
export async function runImageJob(
  services: AppServices,
  request: FastifyRequest,
  reply: FastifyReply,
  job: ImageJob,
): Promise<void> {
  const { model } = job;
  request.modelLabel = model.id;
  const status = model.engine.status();
  if (!status.online) {
    throw new ApiError('MODEL_UNAVAILABLE', `Model ${model.id} is unavailable: ${status.reason}`, {
      headers: { 'Retry-After': '30' },
    });
  }
  checkModelConstraints(job);
  const verdict = checkPrompt(job.prompt, model.blockedCategories);
  if (!verdict.allowed) throw contentViolationError(verdict);

  const key = request.apiKey!;
  const idempotencyKey = readIdempotencyKey(request);
  const outcome = idempotencyKey
    ? await services.inFlight.runExclusive(`${key.id}:${idempotencyKey}`, async () => {
        // Checked inside the exclusive section: a repeat sent while the first is still running waits
        // for it and then replays its result instead of running (and charging) a second time.
        const replay = await findReplay(services, key.id, idempotencyKey, job.bodyHash);
        if (replay) return replay;
        const fresh = await runAndCharge(services, request, reply, job);
        await storeReplay(services, key.id, idempotencyKey, job.bodyHash, fresh);
        return fresh;
      })
    : await runAndCharge(services, request, reply, job);

  if (outcome.replayed) reply.header('x-idempotent-replay', 'true');
  reply.header('x-venice-balance-usd', formatUsd(outcome.balanceMicros));
  reply.header('x-retouch-charged-usd', formatUsd(outcome.chargedMicros));
  return reply.type(outcome.contentType).send(outcome.body);
}

/** What a successful job sends, also what an idempotent repeat replays. */
export interface JobOutcome {
  body: Buffer;
  contentType: string;
  chargedMicros: number;
  balanceMicros: number;
  replayed: boolean;
}

async function runAndCharge(
  services: AppServices,
  request: FastifyRequest,
  reply: FastifyReply,
  job: ImageJob,
): Promise<JobOutcome> {
  const { model } = job;
  const key = request.apiKey!;
  const started = performance.now();
  const signal = clientSignal(request, reply);
  const images = await loadImages(services, job, signal);
  const inputPixels = images.reduce((sum, image) => sum + image.width * image.height, 0);

  const price = job.priceMicros?.(images) ?? model.priceMicros;
  const reservation = await services.store.reserve(key.id, request.id, price);
  if (!reservation) {
    const balance = await services.store.getBalance(key.id);
    throw new ApiError(
      'INSUFFICIENT_BALANCE',
      `Insufficient balance: this request costs $${formatUsd(price)} and $${formatUsd(Math.max(0, balance.availableMicros))} is available`,
    );
  }
  const usage = (statusCode: number, outputPixels: number) => ({
    requestId: request.id,
    route: job.operation,
    model: model.id,
    status: statusCode,
    durationMs: performance.now() - started,
    inputPixels,
    outputPixels,
  });
  let result;
  try {
    result = await runOnEngine(services, job, images, signal);
  } catch (error) {
    await services.store.release(reservation, usage(statusOf(error), 0));
    throw error;
  }
  const balance = await services.store.commit(reservation, usage(200, result.width * result.height));
  return {
    body: result.png,
    contentType: 'image/png',
    chargedMicros: reservation.micros,
    balanceMicros: balance.balanceMicros,
    replayed: false,
  };
}

async function runOnEngine(services: AppServices, job: ImageJob, images: RawImage[], clientAbort: AbortSignal) {
  const { model } = job;
  const queue = services.queueFor(model);
  const waitStarted = performance.now();
  const release = await queue.acquire(clientAbort).catch((error: unknown) => {
    throw clientAbort.aborted ? new ApiError('CLIENT_CLOSED', 'Client closed the request') : error;
  });
  services.metrics.queueWait.observe({ model: model.id }, (performance.now() - waitStarted) / 1000);
  const signal = AbortSignal.any([clientAbort, AbortSignal.timeout(model.timeoutMs)]);
  const endTimer = services.metrics.engineDuration.startTimer({ model: model.id });
  try {
    const run = model.engine.run({
      operation: job.operation,
      images,
      prompt: job.prompt,
      aspectRatio: job.aspectRatio,
      options: job.options,
      signal,
    });
    const result = await raceAbort(run, signal);
    endTimer({ outcome: 'ok' });
    return result;
  } catch (error) {
    endTimer({ outcome: clientAbort.aborted ? 'cancelled' : 'error' });
    throw toClientError(error, signal, clientAbort, model);
  } finally {
    release();
  }
}

function toClientError(error: unknown, signal: AbortSignal, clientAbort: AbortSignal, model: ModelEntry): unknown {
  if (clientAbort.aborted) return new ApiError('CLIENT_CLOSED', 'Client closed the request');
  if (signal.aborted) return new ApiError('INFERENCE_FAILED', `Inference timed out after ${model.timeoutMs} ms`);
  if (isApiError(error)) return error;
  return new ApiError('INFERENCE_FAILED', 'Inference processing failed', { cause: error });
}

async function loadImages(services: AppServices, job: ImageJob, signal: AbortSignal): Promise<RawImage[]> {
  return Promise.all(
    job.images.map((source) =>
      source.value instanceof UploadedFile
        ? services.imageLoader.fromBytes(source.value.bytes, source.field)
        : services.imageLoader.fromString(source.value, source.field, { allowUrl: job.allowUrl, signal }),
    ),
  );
}

function checkModelConstraints(job: ImageJob): void {
  const { constraints, id } = job.model;
  if (job.aspectRatio && !constraints.aspectRatios.includes(job.aspectRatio)) {
    throw new ApiError(
      'INVALID_PARAMETERS',
      `aspect_ratio ${job.aspectRatio} is not supported by ${id}; supported: ${constraints.aspectRatios.join(', ')}`,
    );
  }
  if (job.prompt.length > constraints.promptCharacterLimit) {
    throw new ApiError(
      'INVALID_PARAMETERS',
      `Prompt is ${job.prompt.length} characters; ${id} accepts at most ${constraints.promptCharacterLimit}`,
    );
  }
  if (job.images.length > 1 && !constraints.combineImages) {
    throw new ApiError('INVALID_PARAMETERS', `${id} takes a single image`);
  }
}

function readIdempotencyKey(request: FastifyRequest): string | undefined {
  const value = request.headers['idempotency-key'];
  if (value === undefined) return undefined;
  const key = Array.isArray(value) ? value[0] : value;
  if (!key || key.length > 255) {
    throw new ApiError('INVALID_PARAMETERS', 'Idempotency-Key must be 1 to 255 characters');
  }
  return key;
}

function statusOf(error: unknown): number {
  return isApiError(error) ? error.status : 500;
}
