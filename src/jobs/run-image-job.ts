import type { FastifyReply, FastifyRequest } from 'fastify';
import { accountOf } from '../accounts/account-of.js';
import { holdCredit } from '../accounts/admission.js';
import type { EngineNotes, EngineResult } from '../engines/engine.js';
import type { ModelEntry } from '../engines/model-entry.js';
import { ApiError, isApiError } from '../errors.js';
import type { InspectedImage } from '../inputs/decode-image.js';
import { UploadedFile } from '../inputs/uploaded-file.js';
import { checkPrompt, contentViolationError } from '../policy/index.js';
import type { AppServices } from '../services.js';
import { raceAbort, withDeadline } from '../util/abort.js';
import { clientSignal } from './client-signal.js';
import { checkFinishOptions, type FinishedImage, type FinishOptions, finishOutput } from './finish-output.js';
import { checkModelOnline } from './model-availability.js';
import { checkEnlargement, resolveFields, type ResolvedFields } from './model-fields.js';
import { RESOLUTION_LONG_SIDE } from '../config/model-traits.js';
import { NSFW_CLASSIFIER } from '../resources/nsfw-classifier.js';
import { findReplay, storeReplay, type IdempotentRequest } from './idempotency.js';
import type { ImageJob, JobResult } from './image-job.js';
import { JobProgressBoard, type ProgressReport } from '../coordination/job-progress.js';

/**
 * The request path shared by every entry point, after the body is validated:
 * checks against the model -> content policy -> idempotent replay -> decode inputs -> reserve credit ->
 * wait for capacity -> run the engine -> finish (background options, encoding) -> commit the charge.
 * Any failure after the reservation releases it, so a failed request is never charged. The caller renders
 * the result (raw image for the Venice routes, JSON for the OpenAI route).
 */
export async function runImageJob(
  services: AppServices,
  request: FastifyRequest,
  reply: FastifyReply,
  job: ImageJob,
): Promise<JobResult> {
  const { model } = job;
  request.modelLabel = model.id;
  checkModelOnline(services, model);
  checkModelConstraints(job);
  const fields = resolveFields(model, job.fields ?? {}, job.images.length);
  checkFinishOptions(job.finish);
  checkTransparentJpeg(job, fields);
  const verdict = checkPrompt(job.prompt, model.blockedCategories);
  if (!verdict.allowed) throw contentViolationError(verdict);

  const idempotencyKey = readIdempotencyKey(request);
  const call: JobCall = { services, request, reply, job, fields };
  if (!idempotencyKey) return runAndCharge(call);
  const { id: keyId, accountId } = request.apiKey!;
  const idempotent: IdempotentRequest = { keyId, accountId, idempotencyKey, bodyHash: job.bodyHash };
  const { store, config } = services;
  return services.inFlight.runExclusive(`${idempotent.keyId}:${idempotencyKey}`, async () => {
    // Checked inside the exclusive section: a repeat sent while the first is still running waits for it
    // and then replays its result instead of running (and charging) a second time.
    const replay = await findReplay(store, config.idempotencyTtlHours, idempotent);
    if (replay) return replay;
    const fresh = await runAndCharge(call);
    await storeReplay(store, idempotent, fresh);
    return fresh;
  });
}

/** One job with what it runs on: the server's services and the HTTP exchange it answers. */
interface JobCall {
  services: AppServices;
  request: FastifyRequest;
  reply: FastifyReply;
  job: ImageJob;
  /** The Venice fields checked against the model: tier, quality, format, safe mode and the price. */
  fields: ResolvedFields;
}

async function runAndCharge({ services, request, reply, job, fields }: JobCall): Promise<JobResult> {
  const { model } = job;
  const key = request.apiKey!;
  const started = performance.now();
  const signal = clientSignal(request, reply);
  // Checked from their headers only: pixels are decoded once an engine slot is free (runOnEngine).
  const inspected = await inspectImages(services, job, signal);
  const inputPixels = inspected.reduce((sum, image) => sum + image.width * image.height, 0);
  checkEnlargement(model, fields, inspected[0]!);
  job.checkInputs?.(inspected);
  model.engine.admit?.({ operation: job.operation, prompt: job.prompt, images: inspected, options: job.options });

  const extra = extraWorkOf(services, job, inspected);
  const price = (job.priceMicros?.(inspected) ?? fields.priceMicros) + (job.surchargeMicros ?? 0) + (extra?.surchargeMicros ?? 0);
  const reservation = await holdCredit(services.store, key, request.id, price, { route: job.operation, model: model.id });
  const usage = (statusCode: number, outputPixels: number) => ({
    requestId: request.id,
    route: job.operation,
    model: model.id,
    status: statusCode,
    durationMs: performance.now() - started,
    inputPixels,
    outputPixels,
  });
  let finished: FinishedImage;
  const notes: EngineNotes = {};
  const tracker = progressTracker(services, request, key.id);
  try {
    const result = await runOnEngine(
      services,
      job,
      fields,
      inspected,
      { clientAbort: signal, account: accountOf(request) },
      notes,
      extra?.model,
      tracker?.report,
    );
    // Provenance: the inputs become the manifest's ingredients; the engine's notes say what it did.
    const provenance = services.provenance.forJob({ model, operation: job.operation, inputs: inspected });
    const engineActions = provenance.engineActions(notes.actions);
    finished = await finishOutput(result, {
      ...finishOptions(services, job, fields),
      provenance: { job: provenance, engineActions },
    });
  } catch (error) {
    await services.store.release(reservation, usage(statusOf(error), 0));
    throw error;
  } finally {
    tracker?.end();
  }
  const balance = await services.store.commit(reservation, usage(200, finished.width * finished.height));
  return {
    ...finished,
    blurred: finished.blurred || notes.blurred === true,
    ...(notes.enhancedPrompt ? { enhancedPrompt: notes.enhancedPrompt } : {}),
    ...(notes.found?.length ? { found: notes.found } : {}),
    ...(notes.matteCoverage !== undefined ? { matteCoverage: notes.matteCoverage } : {}),
    ...(notes.warnings?.length ? { warnings: notes.warnings } : {}),
    chargedMicros: reservation.micros,
    balanceMicros: balance.balanceMicros,
    replayed: false,
  };
}

/** What the prompt asks of another model (see Engine.extraWork), with that model's registry entry. */
function extraWorkOf(
  services: AppServices,
  job: ImageJob,
  inspected: ReadonlyArray<{ width: number; height: number }>,
): { surchargeMicros: number; model?: ModelEntry } | null {
  const extra = job.model.engine.extraWork?.({ prompt: job.prompt, images: inspected });
  if (!extra) return null;
  return { surchargeMicros: extra.surchargeMicros, model: services.models.get(extra.model) };
}

/** The finishing step's options for this job: the route's (background options) and the resolved fields. */
function finishOptions(services: AppServices, job: ImageJob, fields: ResolvedFields): FinishOptions {
  const screenWithClassifier = job.model.traits.safeMode === 'classifier' && fields.safeMode;
  return {
    ...job.finish,
    format: fields.format,
    formatExplicit: job.fields?.outputFormat !== undefined,
    ...(fields.resolution ? { maxLongSide: RESOLUTION_LONG_SIDE[fields.resolution] } : {}),
    ...(screenWithClassifier ? { screen: (image) => services.resources.get(NSFW_CLASSIFIER).isExplicit(image) } : {}),
  };
}

/** A background removal asked for as JPEG cannot keep its transparency: refused before any work. */
function checkTransparentJpeg(job: ImageJob, fields: ResolvedFields): void {
  const explicitJpeg = job.fields?.outputFormat === 'jpeg' && fields.format === 'jpeg';
  if (explicitJpeg && job.operation === 'background-remove' && !job.finish.bgColor && !job.finish.onlyMask) {
    throw new ApiError(
      'INVALID_PARAMETERS',
      'A cutout has transparency, which JPEG cannot hold; ask for output_format png or webp, or add a bg_color',
    );
  }
}

/** The progress entry of a request that sent `x-progress-token` (a valid one), or undefined. */
function progressTracker(services: AppServices, request: FastifyRequest, keyId: string) {
  const token = request.headers['x-progress-token'];
  if (typeof token !== 'string' || !JobProgressBoard.validToken(token)) return undefined;
  return services.progress.start(keyId, token);
}

async function runOnEngine(
  services: AppServices,
  job: ImageJob,
  fields: ResolvedFields,
  inspected: InspectedImage[],
  { clientAbort, account }: { clientAbort: AbortSignal; account: string },
  notes: EngineNotes,
  extraModel?: ModelEntry,
  progress?: ProgressReport,
): Promise<EngineResult> {
  const { model } = job;
  // Work another model's terms govern waits in that model's queue, with the longer time limit.
  const queue = services.queueFor(extraModel ?? model);
  const timeoutMs = Math.max(model.timeoutMs, extraModel?.timeoutMs ?? 0);
  const waitStarted = performance.now();
  // Fair between accounts: one account's flood does not make another wait behind it.
  const release = await queue.acquire(clientAbort, account).catch((error: unknown) => {
    throw clientAbort.aborted ? new ApiError('CLIENT_CLOSED', 'Client closed the request') : error;
  });
  services.metrics.queueWait.observe({ model: model.id }, (performance.now() - waitStarted) / 1000);
  const deadline = withDeadline(clientAbort, timeoutMs);
  const { signal } = deadline;
  const endTimer = services.metrics.engineDuration.startTimer({ model: model.id });
  let run: Promise<EngineResult> | undefined;
  try {
    const images = await raceAbort(Promise.all(inspected.map((image) => services.imageLoader.decode(image))), signal);
    run = model.engine.run({
      operation: job.operation,
      images,
      prompt: job.prompt,
      aspectRatio: job.aspectRatio,
      options: {
        ...job.options,
        // Only a tier the client named goes upstream: without one, the upstream applies its own default.
        resolution: fields.resolutionExplicit ? fields.resolution : undefined,
        quality: fields.quality,
        safeMode: fields.safeMode,
        enhancePrompt: fields.enhancePrompt,
        disablePromptOptimizationThinking: fields.disablePromptOptimizationThinking,
      },
      notes,
      signal,
      progress,
    });
    const result = await raceAbort(run, signal);
    endTimer({ outcome: 'ok' });
    return result;
  } catch (error) {
    endTimer({ outcome: clientAbort.aborted ? 'cancelled' : 'error' });
    throw clientErrorFor(error, deadline.timedOut, clientAbort, timeoutMs);
  } finally {
    deadline.dispose();
    // Work that cannot be cancelled (a libvips operation under way) keeps its slot until it really ends,
    // so an abandoned or timed-out request never lets more work start than the model's capacity allows.
    if (run) void run.then(release, release);
    else release();
  }
}

/** What the client is told when the engine run fails: internals stay in the log. */
function clientErrorFor(error: unknown, timedOut: boolean, clientAbort: AbortSignal, timeoutMs: number): unknown {
  if (clientAbort.aborted) return new ApiError('CLIENT_CLOSED', 'Client closed the request');
  if (timedOut) return new ApiError('REQUEST_TIMEOUT', `The model did not finish within ${timeoutMs} ms`);
  if (isApiError(error)) return error;
  return new ApiError('INFERENCE_FAILED', 'Inference processing failed', { cause: error });
}

async function inspectImages(services: AppServices, job: ImageJob, signal: AbortSignal): Promise<InspectedImage[]> {
  return Promise.all(
    job.images.map((source) =>
      source.value instanceof UploadedFile
        ? services.imageLoader.inspectBytes(source.value.bytes, source.field)
        : services.imageLoader.inspectString(source.value, source.field, { allowUrl: job.allowUrl, signal }),
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
