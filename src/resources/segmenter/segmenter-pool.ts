import type { Config } from '../../config/schema.js';
import { ApiError } from '../../errors.js';
import type { RawImage } from '../../imaging/raw-image.js';
import { workerFile } from '../../util/worker-file.js';
import { createInferencePool, type InferencePool } from '../onnx/inference-pool.js';
import type { Availability } from '../availability.js';
import { resolveSegmentationModel, type ModelSpec } from './segmentation-models.js';
import { checkModelFiles } from './model-bytes.js';
import { ModelUnavailableError } from '../onnx/model-unavailable.js';
import type { AlphaMatte, Segmenter } from './segmenter.js';
import { planSessions, type SessionPlan } from '../onnx/session-options.js';
import type { SegmentReply, SegmentTask, SegmentWorkerData } from './worker/segment-worker.js';
import { raceAbort } from '../../util/abort.js';

/** The logger methods the segmenter uses (a Fastify/pino logger or a test double). */
export interface SegmenterLogger {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface SegmenterOptions {
  /** A built-in or configured model name; default: the background-removal model's choice, else `isnet`. */
  model?: string;
  /** Worker threads; default `config.workers.segmentation` (0 = sized for the machine). */
  workers?: number;
}

/** The segmenter this module builds: the shared interface plus a warm-up for servers and benchmarks. */
export interface PooledSegmenter extends Segmenter {
  readonly model: string;
  readonly plan: SessionPlan;
  /** Starts the workers and loads the model in each, so that the first request does not pay for it. */
  warmUp(): Promise<void>;
}

/**
 * The shared segmentation service: a pool of worker threads, each holding one ONNX Runtime session of the
 * chosen model. Nothing starts until the first `segment` or `warmUp` call, so servers and tests that never
 * segment pay nothing.
 *
 * @example
 * const segmenter = createSegmenter(config, logger);
 * const matte = await segmenter.segment(photo, AbortSignal.timeout(60_000)); // one byte per pixel
 * await segmenter.close();
 */
export function createSegmenter(config: Config, logger: SegmenterLogger, options: SegmenterOptions = {}): PooledSegmenter {
  const plan = planSessions(options.workers ?? config.workers.segmentation);
  let spec: ModelSpec | undefined;
  let offline: string | undefined;
  try {
    spec = resolveSegmentationModel(config, options.model);
  } catch (error) {
    offline = (error as Error).message;
  }
  let checked = false;
  let pool: InferencePool | undefined;

  const status = (): Availability => {
    if (!offline && spec && !checked) {
      checked = true;
      try {
        checkModelFiles(spec.source);
      } catch (error) {
        markOffline(error);
      }
    }
    // Missing or broken model data does not heal while the server runs: not worth a retry.
    return offline ? { online: false, reason: offline, unserved: true } : { online: true };
  };

  const markOffline = (error: unknown) => {
    const e =
      error instanceof ModelUnavailableError ? error : new ModelUnavailableError('the model could not be loaded', String(error));
    offline = `segmentation model ${spec?.name ?? options.model}: ${e.reason}`;
    logger.error({ model: spec?.name, detail: e.detail }, 'segmentation model unavailable');
  };

  const getPool = (): InferencePool => {
    if (!spec) throw new ApiError('MODEL_UNAVAILABLE', 'The segmentation model is unavailable');
    if (!pool) {
      const data: Omit<SegmentWorkerData, 'stop'> = { spec, plan };
      // One ISNet run holds about 1 GB of activations: one task per worker, the rest wait their turn.
      pool = createInferencePool({
        filename: workerFile(import.meta.url, './worker/segment-worker'),
        threads: plan.workers,
        workerData: data,
        unloadIdleMs: config.workers.unloadIdleSeconds * 1000,
      });
      logger.info({ model: spec.name, ...plan }, 'segmentation workers started');
    }
    return pool;
  };

  const call = async (task: SegmentTask, transferList: ArrayBuffer[] = []): Promise<SegmentReply & { ok: true }> => {
    const state = status();
    if (!state.online) throw new ApiError('MODEL_UNAVAILABLE', `The segmentation model is unavailable: ${state.reason}`);
    const reply = await getPool().run<SegmentReply>(task, transferList);
    if (reply.ok) return reply;
    if (reply.code === 'MODEL_UNAVAILABLE') {
      markOffline(new ModelUnavailableError(reply.reason, reply.detail));
      throw new ApiError('MODEL_UNAVAILABLE', `The segmentation model is unavailable: ${reply.reason}`);
    }
    logger.error({ model: spec?.name, detail: reply.detail }, 'segmentation failed');
    throw new ApiError('INFERENCE_FAILED', 'Background segmentation failed');
  };

  return {
    model: spec?.name ?? options.model ?? 'unknown',
    plan,
    status,
    async warmUp() {
      await Promise.all(Array.from({ length: plan.workers }, () => call({ kind: 'warm' })));
    },
    async segment(image: RawImage, signal?: AbortSignal): Promise<AlphaMatte> {
      signal?.throwIfAborted();
      assertSegmentable(image);
      // A private copy is moved to the worker: the caller keeps its pixels (the cutout needs them), and a
      // Buffer may be a view into a shared pool that must not be detached.
      const pixels = new Uint8Array(image.data);
      const task: SegmentTask = { kind: 'segment', pixels, width: image.width, height: image.height, channels: image.channels };
      // A running inference is not interrupted (terminating a thread inside native code is unsafe); an
      // abort rejects at once and the worker's late result is dropped.
      const reply = await raceAbort(call(task, [pixels.buffer]), signal);
      return { data: reply.alpha!, width: image.width, height: image.height };
    },
    async close() {
      // Waits for a run under way: ending its thread mid-run aborts the process (inference-pool.ts).
      await pool?.close();
    },
  };
}

/**
 * The model sees the picture squeezed to a square: a strip a few pixels thin (16384x4 is a legal picture)
 * has no subject to find, and would cost a full inference to learn that. Refused at once, saying why.
 */
const MIN_SUBJECT_SIDE = 32;

function assertSegmentable({ width, height }: RawImage): void {
  if (Math.min(width, height) < MIN_SUBJECT_SIDE) {
    throw new ApiError(
      'INVALID_IMAGE',
      `Finding the subject needs a picture at least ${MIN_SUBJECT_SIDE} pixels wide and high; this one is ${width}x${height}`,
    );
  }
}
