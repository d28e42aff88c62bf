import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { ApiError, ERROR_CODES, type ErrorCode } from '../errors.js';
import { WORKER_EXEC_ARGV, workerFile } from '../util/worker-file.js';
import type { TaskMessage } from './worker/imaging-worker.js';
import type { TaskEnvelope } from './worker/task-output.js';
import type { TaskName, TaskPayload, TaskValue } from './worker/tasks.js';

export interface RunTaskOptions {
  /** Aborting removes a queued task, or stops the worker running it; the promise rejects with the reason. */
  signal?: AbortSignal;
  /** Buffers inside the payload to move to the worker rather than copy; they are unusable here afterwards. */
  transferList?: ArrayBuffer[];
}

/**
 * A pool of worker threads for CPU pixel work (inpainting, heavy local edits), so that the event loop only
 * moves buffers. Tasks are named entries of the table in worker/tasks.ts.
 *
 * @example
 * const pool = createImagingPool(config.workers.imaging);
 * const { data } = await pool.run('inpaint', payload, { signal, transferList: [payload.data.buffer] });
 */
export interface ImagingPool {
  /** Worker threads in the pool. */
  readonly size: number;
  run<Name extends TaskName>(task: Name, payload: TaskPayload<Name>, options?: RunTaskOptions): Promise<TaskValue<Name>>;
  close(): Promise<void>;
}

/** Workers for a configured size: 0 means one per core. */
export function imagingPoolSize(configured = 0): number {
  return configured > 0 ? configured : availableParallelism();
}

class PiscinaImagingPool implements ImagingPool {
  private readonly piscina: Piscina;

  constructor(readonly size: number) {
    this.piscina = new Piscina({
      execArgv: WORKER_EXEC_ARGV,
      filename: workerFile(import.meta.url, './worker/imaging-worker'),
      minThreads: size,
      maxThreads: size,
      // One pixel task saturates a core; running two on one thread would only make both late.
      concurrentTasksPerWorker: 1,
    });
  }

  async run<Name extends TaskName>(
    task: Name,
    payload: TaskPayload<Name>,
    options: RunTaskOptions = {},
  ): Promise<TaskValue<Name>> {
    const { signal, transferList } = options;
    signal?.throwIfAborted();
    const message: TaskMessage = { task, payload };
    let envelope: TaskEnvelope<TaskValue<Name>>;
    try {
      envelope = await this.piscina.run(message, { signal, transferList });
    } catch (error) {
      // Reject as fetch and timers/promises do, with the signal's own reason, so callers can tell a
      // timeout from a client that went away.
      if (signal?.aborted) throw signal.reason;
      throw error;
    }
    if (!envelope.ok) throw new ApiError(knownCode(envelope.error.code), envelope.error.message);
    return envelope.value;
  }

  close(): Promise<void> {
    return this.piscina.close({ force: true });
  }
}

function knownCode(code: string): ErrorCode {
  return Object.hasOwn(ERROR_CODES, code) ? (code as ErrorCode) : 'INTERNAL';
}

/**
 * A pool of `size` worker threads (0: one per core). The server makes one, as a shared resource of the
 * engine context (src/resources/imaging-pool.ts), and closes it when it stops; tests make their own.
 */
export function createImagingPool(size = 0): ImagingPool {
  return new PiscinaImagingPool(imagingPoolSize(size));
}

/**
 * Where pixel work runs and when to stop it: the imaging pool, and the request's signal. Every imaging
 * function that uses the workers takes one, so the pool is always the caller's and never a hidden global.
 */
export interface PixelWork {
  pool: ImagingPool;
  signal?: AbortSignal;
}
