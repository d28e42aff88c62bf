import { availableParallelism } from 'node:os';
import type { InferenceSession } from 'onnxruntime-node';

/**
 * How inference is spread over the machine: worker threads, each with one ONNX Runtime session, and the
 * intra-op threads of each session. Chosen by measurement on the 2-core machine (bench/bg/NOTES.md#http-throughput).
 */
export interface SessionPlan {
  workers: number;
  intraOpThreads: number;
}

/**
 * `configured` is `workers.segmentation` (0 = sized for the machine). By default one worker uses every
 * core: a lone request is then as fast as the machine allows (2 intra-op threads: 1.7 s per inference
 * against 3.4 s with one on a quiet machine; equal when other processes load it), and a second request
 * queues behind it instead of the two halving each other.
 * Measured through the HTTP server with 4 concurrent clients, two single-threaded workers gave the same
 * throughput (34.7 against 35.5 images/min quiet, 16.9 against 17.4 loaded) for nearly twice the peak RSS
 * (3.1 against 1.7 GB) and a longer health-check tail (p99 15 to 38 ms against 7.5 to 15 ms).
 * With more workers configured, the cores are divided between them so that concurrent requests never
 * oversubscribe the CPU.
 *
 * @example planSessions(0, 2) // { workers: 1, intraOpThreads: 2 }
 * @example planSessions(2, 2) // { workers: 2, intraOpThreads: 1 }
 */
export function planSessions(configured: number, cores = availableParallelism()): SessionPlan {
  const workers = configured > 0 ? configured : 1;
  return { workers, intraOpThreads: Math.max(1, Math.floor(cores / workers)) };
}

/**
 * Session options, each measured against its alternative in two runs, a quiet one and a loaded one
 * (bench/bg/session-sweep.ts, bench/bg/NOTES.md#session-options): spinning off, so that idle ONNX threads give the cores
 * back to sharp, the event loop and the other worker at once (spinning on: 1.1x to 2x slower); sequential
 * execution, since ISNet is a chain with little branch parallelism (parallel: 1.5x to 2.8x slower); all
 * graph optimisations (basic only: 1.2x to 1.3x slower, no NCHWc layout); the memory arena kept (off:
 * 1.1x to 2x slower, for about 0.85 GB less RSS).
 */
export function sessionOptions(plan: SessionPlan): InferenceSession.SessionOptions {
  return {
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    intraOpNumThreads: plan.intraOpThreads,
    interOpNumThreads: 1,
    enableCpuMemArena: true,
    enableMemPattern: true,
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
  };
}
