import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The server's Prometheus metrics, on a registry of its own (not prom-client's global one) so that several
 * servers in one process, as in tests, do not collide. Engines add their own metrics to the same registry.
 */
export interface HttpMetrics {
  registry: Registry;
  requests: Counter<'route' | 'model' | 'status'>;
  requestDuration: Histogram<'route' | 'model' | 'status'>;
  engineDuration: Histogram<'model' | 'outcome'>;
  queueWait: Histogram<'model'>;
}

export function createMetrics(): HttpMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'retouch_' });
  return {
    registry,
    requests: new Counter({
      name: 'retouch_http_requests_total',
      help: 'HTTP requests by route, model and status',
      labelNames: ['route', 'model', 'status'],
      registers: [registry],
    }),
    requestDuration: new Histogram({
      name: 'retouch_http_request_duration_seconds',
      help: 'HTTP request latency by route, model and status',
      labelNames: ['route', 'model', 'status'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120],
      registers: [registry],
    }),
    engineDuration: new Histogram({
      name: 'retouch_engine_run_duration_seconds',
      help: 'Engine run time by model and outcome',
      labelNames: ['model', 'outcome'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120],
      registers: [registry],
    }),
    queueWait: new Histogram({
      name: 'retouch_capacity_queue_wait_seconds',
      help: 'Time requests waited for a free engine slot, by model',
      labelNames: ['model'],
      buckets: [0.001, 0.01, 0.1, 0.5, 1, 5, 10, 30],
      registers: [registry],
    }),
  };
}
