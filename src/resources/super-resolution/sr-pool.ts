import type { Availability } from '../availability.js';
import { ApiError } from '../../errors.js';
import { raceAbort } from '../../util/abort.js';
import { workerFile } from '../../util/worker-file.js';
import { createInferencePool, type InferencePool } from '../onnx/inference-pool.js';
import { ModelUnavailableError } from '../onnx/model-unavailable.js';
import { planSessions, type SessionPlan } from '../onnx/session-options.js';
import { checkSrModelFiles } from './model-files.js';
import { SR_MODELS, type SrModelSpec } from './sr-models.js';
import type { Precision, SrReply, SrTask, SrWorkerData, UpscaleTask } from './worker/sr-worker.js';

/** The logger methods the pool uses (a Fastify/pino logger or a test double). */
export interface SrLogger {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface SuperResolutionOptions {
  /** Worker threads, each with its own sessions; 0 = one (which then uses every core). */
  workers: number;
  /** Input tile side in pixels and the overlap between neighbouring tiles. */
  tileSize: number;
  tileOverlap: number;
  /** Where the int8 networks are cached once made (beside the server's data); undefined: not kept. */
  cacheDir?: string;
  /** Idle time after which the threads end and their memory is given back (0 or absent: never). */
  unloadIdleMs?: number;
}

/** One enlargement: RGB pixels in, RGB pixels out (`scale` times wider and taller). */
export interface UpscaleJob {
  pixels: Uint8Array;
  width: number;
  height: number;
  scale: 2 | 4;
  faithful: SrModelSpec;
  generative: SrModelSpec;
  /** Share of the generative network, 0..1 (0 runs only the faithful one, 1 only the generative one). */
  mix: number;
  /** int8 networks (about 2.6x faster here, checked against float by test) or the float originals. */
  precision: Precision;
}

/** The shared super-resolution service: worker threads holding ONNX Runtime sessions of the networks. */
export interface SuperResolution {
  readonly plan: SessionPlan;
  /** Offline when a network's package is missing or not the recorded version (checked once, cheaply). */
  status(models: SrModelSpec[]): Availability;
  /** `onProgress` hears tiles done of tiles in all, a few times a second while the job runs. */
  upscale(
    job: UpscaleJob,
    signal: AbortSignal,
    onProgress?: (done: number, total: number) => void,
  ): Promise<{ pixels: Uint8Array; width: number; height: number }>;
  /** Loads the named networks (default: all) in every worker, so that the first request does not pay for it. */
  warmUp(models?: SrModelSpec[], precision?: Precision): Promise<void>;
  close(): Promise<void>;
}

/**
 * Nothing starts until the first `upscale` or `warmUp`. Abandoned requests set a shared flag that the
 * worker reads between tiles, so the thread is free again within one tile's inference.
 *
 * @example
 * const sr = createSuperResolution({ workers: 0, tileSize: 192, tileOverlap: 16 }, logger);
 * const out = await sr.upscale({ pixels, width, height, scale: 4, faithful, generative, mix: 0 }, signal);
 */
export function createSuperResolution(options: SuperResolutionOptions, logger: SrLogger): SuperResolution {
  const plan = planSessions(options.workers);
  const offline = new Map<string, string>();
  const checked = new Set<string>();
  let pool: InferencePool | undefined;

  const status = (models: SrModelSpec[]): Availability => {
    for (const spec of models) {
      if (!checked.has(spec.name)) {
        checked.add(spec.name);
        try {
          checkSrModelFiles(spec);
        } catch (error) {
          markOffline(spec.name, error);
        }
      }
      const reason = offline.get(spec.name);
      if (reason) return { online: false, reason };
    }
    return { online: true };
  };

  const markOffline = (name: string, error: unknown) => {
    const e =
      error instanceof ModelUnavailableError ? error : new ModelUnavailableError('the model could not be loaded', String(error));
    offline.set(name, `super-resolution network ${name}: ${e.reason}`);
    logger.error({ model: name, detail: e.detail }, 'super-resolution network unavailable');
  };

  const getPool = (): InferencePool => {
    if (!pool) {
      const data: Omit<SrWorkerData, 'stop'> = { models: { ...SR_MODELS }, plan, cacheDir: options.cacheDir };
      // One enlargement per worker at a time; the gateway's capacity queue limits and times out the rest.
      pool = createInferencePool({
        filename: workerFile(import.meta.url, './worker/sr-worker'),
        threads: plan.workers,
        workerData: data,
        unloadIdleMs: options.unloadIdleMs,
      });
      logger.info({ ...plan }, 'super-resolution workers started');
    }
    return pool;
  };

  const call = async (task: SrTask, models: SrModelSpec[], transferList: ArrayBuffer[] = []): Promise<SrReply & { ok: true }> => {
    const state = status(models);
    if (!state.online) throw new ApiError('MODEL_UNAVAILABLE', `The upscaler is unavailable: ${state.reason}`);
    const reply = await getPool().run<SrReply>(task, transferList);
    if (reply.ok) return reply;
    if (reply.code === 'MODEL_UNAVAILABLE') {
      markOffline(reply.model ?? models[0].name, new ModelUnavailableError(reply.reason, reply.detail));
      throw new ApiError('MODEL_UNAVAILABLE', `The upscaler is unavailable: ${reply.reason}`);
    }
    if (reply.code === 'ABORTED') throw new ApiError('CLIENT_CLOSED', 'The request was abandoned');
    logger.error({ detail: reply.detail }, 'super-resolution failed');
    throw new ApiError('INFERENCE_FAILED', 'Upscaling failed');
  };

  return {
    plan,
    status,
    async warmUp(models = Object.values(SR_MODELS), precision: Precision = 'int8') {
      await Promise.all(
        Array.from({ length: plan.workers }, () => call({ kind: 'warm', models: models.map((m) => m.name), precision }, models)),
      );
    },
    async upscale(job, signal, onProgress) {
      signal.throwIfAborted();
      const used = [job.mix < 1 ? job.faithful : undefined, job.mix > 0 ? job.generative : undefined].filter(
        (m): m is SrModelSpec => !!m,
      );
      const abort = new Int32Array(new SharedArrayBuffer(4));
      const progress = new Int32Array(new SharedArrayBuffer(8));
      // A private copy is moved to the worker: the caller's buffer may be a view into a shared pool.
      const pixels = new Uint8Array(job.pixels);
      const task: UpscaleTask = {
        kind: 'upscale',
        pixels,
        width: job.width,
        height: job.height,
        scale: job.scale,
        faithful: job.faithful.name,
        generative: job.generative.name,
        mix: job.mix,
        precision: job.precision,
        tile: options.tileSize,
        overlap: options.tileOverlap,
        abort,
        progress,
      };
      const onAbort = () => Atomics.store(abort, 0, 1);
      signal.addEventListener('abort', onAbort, { once: true });
      // The worker counts tiles into shared memory; reading it costs the worker nothing (no messages).
      let reported = -1;
      const poll = () => {
        const done = Atomics.load(progress, 0);
        if (done !== reported) onProgress?.(done, Atomics.load(progress, 1));
        reported = done;
      };
      const poller = onProgress ? setInterval(poll, 250) : undefined;
      try {
        const reply = await raceAbort(call(task, used, [pixels.buffer as ArrayBuffer]), signal);
        if (onProgress) poll();
        return { pixels: reply.pixels!, width: reply.width!, height: reply.height! };
      } finally {
        clearInterval(poller);
        signal.removeEventListener('abort', onAbort);
      }
    },
    async close() {
      // Waits for the tile under way (the worker stops between tiles): ending its thread mid-run aborts the
      // process (inference-pool.ts).
      await pool?.close();
    },
  };
}
