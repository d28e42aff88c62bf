import type { FastifyInstance } from 'fastify';

/** Work that cannot be interrupted and must not be cut off by an exit (ONNX Runtime's runs). */
export interface UninterruptibleWork {
  count(): number;
  settled(): Promise<void>;
}

export interface ShutdownOptions {
  /** Time requests in flight get to finish after the signal before their connections are closed. */
  graceMs: number;
  /** The process exits by then whatever is still running (a libvips operation cannot be interrupted). */
  hardLimitMs: number;
  /**
   * Model runs under way: the hard limit waits for them (one inference, seconds) before exiting, since
   * exiting during one aborts the process (src/resources/onnx/inference-pool.ts).
   */
  uninterruptible?: UninterruptibleWork;
  /** Runs after the app is closed, before exit (closing process-wide pools). */
  afterClose?: () => Promise<void>;
}

/** After the model runs under way have ended, what is still closing gets this long. */
const AFTER_RUNS_MS = 1_000;

/**
 * Resolves on the first SIGTERM or SIGINT, once the server has shut down, within bounded time:
 * 1. stop accepting connections (app.close() starts, and waits for requests in flight);
 * 2. after `graceMs`, close every connection: a request still running sees its client go away, which
 *    aborts its engine work and releases its reservation uncharged;
 * 3. after `hardLimitMs`, exit regardless (code 1): work that cannot be cancelled must not hold a deploy for
 *    minutes. A model run under way is the exception: `process.exit()` waits for worker threads anyway, and
 *    ending one during a run aborts the process; so the exit waits for the runs (each a few seconds).
 * A second signal exits at once: with code 1, or, during a model run, by the signal itself (its default
 * action ends the process without waiting for the thread, which exit() could not).
 */
export function untilShutdown(app: FastifyInstance, options: ShutdownOptions): Promise<string> {
  const running = () => options.uninterruptible?.count() ?? 0;
  return new Promise((resolve) => {
    let stopping = false;
    const stop = async (signal: NodeJS.Signals) => {
      if (stopping) {
        app.log.warn({ signal, modelRuns: running() }, 'second signal: exiting now');
        if (running() === 0) process.exit(1);
        process.removeAllListeners(signal);
        process.kill(process.pid, signal);
        return;
      }
      stopping = true;
      app.log.info({ signal }, 'shutting down');
      setTimeout(() => app.server.closeAllConnections(), options.graceMs).unref();
      setTimeout(async () => {
        if (running() > 0) {
          app.log.warn({ modelRuns: running() }, 'shutdown waits for model runs under way (they cannot be interrupted)');
          await options.uninterruptible!.settled();
          await new Promise((r) => setTimeout(r, AFTER_RUNS_MS).unref());
        }
        app.log.warn({ afterMs: options.hardLimitMs }, 'shutdown did not finish in time: exiting');
        process.exit(1);
      }, options.hardLimitMs).unref();
      try {
        await app.close();
        await options.afterClose?.();
      } catch (error) {
        app.log.error({ err: error }, 'error while shutting down');
      }
      resolve(signal);
    };
    process.on('SIGINT', (signal) => void stop(signal));
    process.on('SIGTERM', (signal) => void stop(signal));
  });
}
