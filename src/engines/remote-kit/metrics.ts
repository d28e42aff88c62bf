import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * Prometheus metrics of the generative backends, one series per model, backend kind and endpoint. The
 * endpoint label is the endpoint's configured `name` (by default `<model>#<index>`), never its URL, so
 * scraping /metrics does not reveal where the GPU servers are.
 */
export interface BackendMetrics {
  requests: Counter<'model' | 'backend' | 'endpoint' | 'outcome'>;
  errors: Counter<'model' | 'backend' | 'endpoint' | 'kind'>;
  latency: Histogram<'model' | 'backend' | 'endpoint'>;
  queueTime: Histogram<'model' | 'backend' | 'endpoint'>;
  outstanding: Gauge<'model' | 'backend' | 'endpoint'>;
  up: Gauge<'model' | 'backend' | 'endpoint'>;
}

export type EndpointLabels = { model: string; backend: string; endpoint: string };

// Several models share one registry; each metric may be registered in it only once.
const byRegistry = new WeakMap<Registry, BackendMetrics>();

/**
 * The backend metrics in `registry`, created on first use.
 *
 * @example backendMetrics(context.metrics).requests.inc({ ...labels, outcome: 'success' })
 */
export function backendMetrics(registry: Registry): BackendMetrics {
  const existing = byRegistry.get(registry);
  if (existing) return existing;
  const registers = [registry];
  const labelNames = ['model', 'backend', 'endpoint'] as const;
  const metrics: BackendMetrics = {
    requests: new Counter({
      name: 'retouch_backend_requests_total',
      help: 'Calls to a generative backend endpoint, by outcome (success, error, cancelled).',
      labelNames: [...labelNames, 'outcome'],
      registers,
    }),
    errors: new Counter({
      name: 'retouch_backend_errors_total',
      help: 'Failed calls to a generative backend endpoint, by error kind.',
      labelNames: [...labelNames, 'kind'],
      registers,
    }),
    latency: new Histogram({
      name: 'retouch_backend_request_duration_seconds',
      help: 'Time of one call to a generative backend endpoint, from send to decoded answer.',
      labelNames,
      buckets: [0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300],
      registers,
    }),
    queueTime: new Histogram({
      name: 'retouch_backend_queue_seconds',
      help: 'Time a call waited before the backend started it (local wait plus the backend queue where visible).',
      labelNames,
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60],
      registers,
    }),
    outstanding: new Gauge({
      name: 'retouch_backend_outstanding_requests',
      help: 'Calls in flight to a generative backend endpoint.',
      labelNames,
      registers,
    }),
    up: new Gauge({
      name: 'retouch_backend_up',
      help: '1 when the endpoint passes health checks and its circuit is not open, else 0.',
      labelNames,
      registers,
    }),
  };
  byRegistry.set(registry, metrics);
  return metrics;
}
