import type { FastifyInstance } from 'fastify';

export interface ShutdownOptions {
  /** Time requests in flight get to finish after the signal before their connections are closed. */
  graceMs: number;
  /** The process exits by then whatever is still running (a libvips operation cannot be interrupted). */
  hardLimitMs: number;
  /** Runs after the app is closed, before exit (closing process-wide pools). */
  afterClose?: () => Promise<void>;
}

/**
 * Resolves on the first SIGTERM or SIGINT, once the server has shut down, within bounded time:
 * 1. stop accepting connections (app.close() starts, and waits for requests in flight);
 * 2. after `graceMs`, close every connection: a request still running sees its client go away, which
 *    aborts its engine work and releases its reservation uncharged;
 * 3. after `hardLimitMs`, exit regardless: work that cannot be cancelled must not hold a deploy for minutes.
 * A second signal exits at once.
 */
export function untilShutdown(app: FastifyInstance, options: ShutdownOptions): Promise<string> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = async (signal: NodeJS.Signals) => {
      if (stopping) {
        app.log.warn({ signal }, 'second signal: exiting now');
        process.exit(1);
      }
      stopping = true;
      app.log.info({ signal }, 'shutting down');
      setTimeout(() => app.server.closeAllConnections(), options.graceMs).unref();
      setTimeout(() => {
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
