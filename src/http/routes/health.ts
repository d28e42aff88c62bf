import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../../services.js';

/**
 * /healthz says the process answers (liveness); /readyz that it can serve: the database answers and at
 * least one model is online. Both are cheap, so they stay fast while the engines keep the cores busy.
 */
export function registerHealth(app: FastifyInstance, services: AppServices): void {
  app.get('/healthz', { config: { doc: { summary: 'Liveness', responses: { '200': 'The process answers' } } } }, async () => ({
    status: 'ok',
  }));

  const readyDoc = { summary: 'Readiness', responses: { '200': 'Ready', '503': 'Not ready' } };
  app.get('/readyz', { config: { doc: readyDoc } }, async (_request, reply) => {
    let database = 'ok';
    try {
      await services.store.countKeys();
    } catch {
      database = 'unavailable';
    }
    const models = Object.fromEntries(
      services.models.list().map((m) => {
        const status = m.engine.status();
        return [m.id, status.online ? 'online' : `offline: ${status.reason}`];
      }),
    );
    const ready = database === 'ok' && Object.values(models).some((s) => s === 'online');
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', database, models });
  });

  const metricsDoc = { summary: 'Prometheus metrics', responses: { '200': 'Text exposition format' } };
  app.get('/metrics', { config: { doc: metricsDoc } }, async (_request, reply) => {
    const text = await services.metrics.registry.metrics();
    return reply.type(services.metrics.registry.contentType).send(text);
  });
}
