import { Piscina } from 'piscina';
import { ApiError } from '../../errors.js';
import { WORKER_EXEC_ARGV } from '../../util/worker-file.js';

/**
 * Worker threads that run ONNX Runtime sessions, and the one rule about ending them: **a thread must not be
 * terminated while a session's `run()` (or its creation) is under way.**
 *
 * onnxruntime-node runs a session synchronously, in native code, on the worker's own thread. Terminating
 * the thread then (Piscina's `destroy()`, its close timeout, or `process.exit()`, which joins every worker)
 * cannot stop the run: it finishes, its return into the dying JavaScript context fails, and the binding
 * throws a C++ `Napi::Error` that nothing catches, so the whole process aborts ("terminate called after
 * throwing an instance of 'Napi::Error'", SIGABRT). Found by stopping the server during a background
 * removal (test/e2e/shutdown.test.ts reproduces it).
 *
 * So `close()` refuses the tasks still queued, raises the pool's stop flag (workers that loop over runs,
 * like the upscaler's tiles, read it between two runs), waits for the tasks already on a thread, and only
 * then ends the threads. Every task sent to any such pool is counted process-wide (`inferenceUnderWay`),
 * so that the shutdown's hard time limit can wait for them instead of exiting into the same abort.
 */
export interface InferencePool {
  run<Reply>(task: unknown, transferList?: ArrayBuffer[]): Promise<Reply>;
  /** Safe to call twice; resolves once every thread has ended. */
  close(): Promise<void>;
}

export interface InferencePoolOptions {
  /** The worker module (`workerFile(import.meta.url, ...)`). */
  filename: string;
  threads: number;
  /** Given to each worker as `workerData`, with `stop` added (see `InferenceWorkerData`). */
  workerData: object;
  /**
   * A thread idle this long ends, and the memory its sessions hold (weights, ONNX Runtime's arena, its
   * JavaScript heap) goes back to the system; the next task starts a thread and loads the model again.
   * 0 or absent: threads live until close(). Ending an idle thread is safe: no run is under way in it.
   */
  unloadIdleMs?: number;
}

/** What every inference worker receives: set to 1 (Atomics) when the pool closes. */
export interface InferenceWorkerData {
  stop: Int32Array;
}

/** Whether the pool that owns this worker is closing (for workers that run many inferences per task). */
export function stopRequested(data: InferenceWorkerData): boolean {
  return Atomics.load(data.stop, 0) !== 0;
}

/** Piscina's close() ends the threads anyway after its `closeTimeout` (30 s by default): never, here. */
const NO_CLOSE_TIMEOUT = 2 ** 31 - 1;

/**
 * The threads start with the first task (and end after `unloadIdleMs` without one); one task per thread at
 * a time (a run uses every core it is given).
 */
export function createInferencePool(options: InferencePoolOptions): InferencePool {
  const stop = new Int32Array(new SharedArrayBuffer(4));
  let pool: Piscina | undefined;
  let closed: Promise<void> | undefined;

  const started = () => {
    pool ??= new Piscina({
      execArgv: WORKER_EXEC_ARGV,
      filename: options.filename,
      minThreads: options.unloadIdleMs ? 0 : options.threads,
      maxThreads: options.threads,
      // One task per worker; the rest wait in piscina's queue (unbounded here: the gateway's capacity queue
      // is what limits and times out requests).
      concurrentTasksPerWorker: 1,
      idleTimeout: options.unloadIdleMs || Number.POSITIVE_INFINITY,
      closeTimeout: NO_CLOSE_TIMEOUT,
      workerData: { ...options.workerData, stop } satisfies InferenceWorkerData,
    });
    return pool;
  };

  return {
    run<Reply>(task: unknown, transferList: ArrayBuffer[] = []): Promise<Reply> {
      if (closed) return Promise.reject(new ApiError('SERVICE_UNAVAILABLE', 'The server is shutting down'));
      return countUnderWay(started().run(task, { transferList }) as Promise<Reply>);
    },
    close() {
      closed ??= (async () => {
        Atomics.store(stop, 0, 1);
        // force: queued tasks are refused at once; the ones on a thread are waited for, then threads end.
        await pool?.close({ force: true });
      })();
      return closed;
    },
  };
}

let underWay = 0;
let onSettled: Array<() => void> = [];

function countUnderWay<T>(work: Promise<T>): Promise<T> {
  underWay++;
  const settle = () => {
    underWay--;
    if (underWay > 0) return;
    const waiting = onSettled;
    onSettled = [];
    for (const wake of waiting) wake();
  };
  work.then(settle, settle);
  return work;
}

/** The inference tasks sent to any pool of this process and not yet answered, queued ones included. */
export const inferenceUnderWay = {
  count: (): number => underWay,
  /** Resolves once none is under way. */
  settled: (): Promise<void> => (underWay === 0 ? Promise.resolve() : new Promise((wake) => onSettled.push(wake))),
};
