import { availableParallelism } from 'node:os';
import { ApiError } from '../../errors.js';
import type { Availability } from '../availability.js';
import { ModelUnavailableError } from '../onnx/model-unavailable.js';
import type { RawImage } from '../../imaging/raw-image.js';
import { workerFile } from '../../util/worker-file.js';
import { createInferencePool, type InferencePool } from '../onnx/inference-pool.js';
import type { Detection, Detector, DetectorKind, Detectors } from './detection.js';
import { checkDetectorFiles } from './model-files.js';
import type { DetectReply, DetectTask, DetectWorkerData } from './worker/detect-worker.js';
import { raceAbort } from '../../util/abort.js';

export interface DetectorLogger {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/**
 * The shared detection service: one worker thread (started on first use) holding the object, face and
 * text detectors, each loaded on its first request. The three models together take about 60 MB; one
 * thread is enough since a detection costs 0.1-0.6 s against the seconds an edit takes.
 *
 * @example
 * const detectors = createDetectors(logger);
 * const faces = await detectors.faces.detect(photo, AbortSignal.timeout(30_000));
 */
export function createDetectors(logger: DetectorLogger, workers = 1, unloadIdleMs = 0): Detectors {
  const offline = new Map<DetectorKind, string>();
  const checked = new Set<DetectorKind>();
  let pool: InferencePool | undefined;

  const status = (kind: DetectorKind): Availability => {
    if (!checked.has(kind)) {
      checked.add(kind);
      try {
        checkDetectorFiles(kind);
      } catch (error) {
        markOffline(kind, error);
      }
    }
    const reason = offline.get(kind);
    return reason ? { online: false, reason } : { online: true };
  };

  const markOffline = (kind: DetectorKind, error: unknown) => {
    const e =
      error instanceof ModelUnavailableError ? error : new ModelUnavailableError('the model could not be loaded', String(error));
    offline.set(kind, `${kind} detector: ${e.reason}`);
    logger.error({ detector: kind, detail: e.detail }, 'detector unavailable');
  };

  const getPool = (): InferencePool => {
    if (!pool) {
      const data: Omit<DetectWorkerData, 'stop'> = { intraOpThreads: Math.max(1, Math.floor(availableParallelism() / workers)) };
      pool = createInferencePool({
        filename: workerFile(import.meta.url, './worker/detect-worker'),
        threads: workers,
        workerData: data,
        unloadIdleMs,
      });
      logger.info({ workers }, 'detection workers started');
    }
    return pool;
  };

  const call = async (task: DetectTask, signal?: AbortSignal): Promise<DetectReply & { ok: true }> => {
    signal?.throwIfAborted();
    const state = status(task.detector);
    if (!state.online) throw new ApiError('MODEL_UNAVAILABLE', `The ${task.detector} detector is unavailable: ${state.reason}`);
    const transferList = task.kind === 'detect' ? [task.pixels.buffer as ArrayBuffer] : [];
    const reply = await raceAbort(getPool().run<DetectReply>(task, transferList), signal);
    if (reply.ok) return reply;
    if (reply.code === 'MODEL_UNAVAILABLE') {
      markOffline(task.detector, new ModelUnavailableError(reply.reason, reply.detail));
      throw new ApiError('MODEL_UNAVAILABLE', `The ${task.detector} detector is unavailable: ${reply.reason}`);
    }
    logger.error({ detector: task.detector, detail: reply.detail }, 'detection failed');
    throw new ApiError('INFERENCE_FAILED', `The ${task.detector} detector failed`);
  };

  // A private copy goes to the worker: the caller keeps its pixels.
  const pixelsOf = (image: RawImage) => ({
    pixels: new Uint8Array(image.data),
    width: image.width,
    height: image.height,
    channels: image.channels,
  });

  const detector = (kind: DetectorKind): Detector => ({
    kind,
    status: () => status(kind),
    async detect(image: RawImage, signal?: AbortSignal, options: { minScore?: number } = {}): Promise<Detection[]> {
      return (await call({ kind: 'detect', detector: kind, ...pixelsOf(image), ...options }, signal)).boxes;
    },
  });

  return {
    objects: detector('objects'),
    faces: detector('faces'),
    text: detector('text'),
    async warmUp() {
      for (const kind of ['objects', 'faces', 'text'] as const) await call({ kind: 'warm', detector: kind });
    },
    async close() {
      // Waits for a detection under way (the text detector is an ONNX session): inference-pool.ts says why.
      await pool?.close();
    },
  };
}
