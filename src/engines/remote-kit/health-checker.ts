import { withDeadline } from '../../util/abort.js';
import type { EndpointState } from './endpoint-pool.js';

/** How an endpoint's health is probed: resolves when the endpoint can serve, rejects otherwise. */
export type Probe = (endpoint: EndpointState, signal: AbortSignal) => Promise<void>;

export interface HealthCheckerOptions {
  intervalMs: number;
  timeoutMs: number;
  /** Called after every check whose result changed an endpoint's health. */
  onChange?: (endpoint: EndpointState) => void;
}

/**
 * Probes every endpoint of a model at a fixed interval and records the result on the endpoint, so that
 * the pool routes around a dead server and `GET /models` lists the model offline while none is up.
 * Started by the engine when it is created with endpoints; `stop()` ends it (the engine's `close()`).
 *
 * @example
 * const checker = new HealthChecker(pool.endpoints, (e, signal) => backend.probe(e.config, signal),
 *   { intervalMs: 15_000, timeoutMs: 5_000 });
 * checker.start();
 * // ...
 * await checker.stop();
 */
export class HealthChecker {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private readonly controller = new AbortController();

  constructor(
    private readonly endpoints: EndpointState[],
    private readonly probe: Probe,
    private readonly options: HealthCheckerOptions,
  ) {}

  /** Checks at once, then every interval. The timer does not keep the process alive. */
  start(): void {
    if (this.timer || this.options.intervalMs <= 0) return;
    void this.checkAll();
    this.timer = setInterval(() => void this.checkAll(), this.options.intervalMs);
    this.timer.unref();
  }

  /** One round of checks over every endpoint; a round still running is not started twice. */
  checkAll(): Promise<void> {
    if (this.controller.signal.aborted) return Promise.resolve();
    this.running ??= Promise.all(this.endpoints.map((e) => this.checkOne(e))).then(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async checkOne(endpoint: EndpointState): Promise<void> {
    const deadline = withDeadline(this.controller.signal, this.options.timeoutMs);
    const { signal } = deadline;
    const before = endpoint.health;
    try {
      await this.probe(endpoint, signal);
      endpoint.health = 'up';
      endpoint.healthProblem = undefined;
    } catch (error) {
      if (this.controller.signal.aborted) return;
      endpoint.health = 'down';
      endpoint.healthProblem = error instanceof Error ? error.message : String(error);
    } finally {
      deadline.dispose();
    }
    if (endpoint.health !== before) this.options.onChange?.(endpoint);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.controller.abort();
    await this.running?.catch(() => undefined);
  }
}
