import type { FastifyBaseLogger } from 'fastify';
import { LeaseKeeper } from './accounts/lease-keeper.js';
import type { Config } from './config/schema.js';
import { createCoordination } from './coordination/create-coordination.js';
import type { CapacityLimiter, IdempotencyLock, RateLimiter } from './coordination/interfaces.js';
import type { ModelEntry } from './engines/engine.js';
import { ENGINE_FACTORIES } from './engines/factories.js';
import { buildModelRegistry, type EngineFactory, type ModelRegistry } from './engines/registry.js';
import { createSegmenter, type PooledSegmenter } from './engines/segmentation/index.js';
import type { Segmenter } from './engines/segmentation/segmenter.js';
import { createMetrics, type HttpMetrics } from './http/metrics.js';
import { createImageLoader, type ImageLoader } from './inputs/index.js';
import { openStore } from './storage/open-store.js';
import type { Store } from './storage/store.js';

/** Everything a request needs, built once per server. Tests may pass their own store or engine factories. */
export interface AppServices {
  config: Config;
  store: Store;
  models: ModelRegistry;
  imageLoader: ImageLoader;
  /** Rate limits, idempotency locks and capacity: in memory, or shared by replicas through Redis. */
  limiter: RateLimiter;
  metrics: HttpMetrics;
  inFlight: IdempotencyLock;
  queueFor(model: ModelEntry): CapacityLimiter;
  /** Loads the segmentation model now rather than on the first request that needs it. */
  warmUp(): Promise<void>;
  close(): Promise<void>;
}

export interface ServiceOverrides {
  store?: Store;
  engineFactories?: ReadonlyArray<EngineFactory<any>>;
  segmenter?: Segmenter;
}

export function createServices(config: Config, logger: FastifyBaseLogger, overrides: ServiceOverrides = {}): AppServices {
  const store = overrides.store ?? openStore(config, (error) => logger.warn({ err: error }, 'database connection lost'));
  const coordination = createCoordination(config, logger);
  // Renews this process's reservation leases and ends those of dead processes (see storage/store.ts).
  const leases = new LeaseKeeper(store, config.leaseMs, logger);
  leases.start();
  const metrics = createMetrics();
  let segmenter: Segmenter | PooledSegmenter | undefined = overrides.segmenter;
  const sharedSegmenter = () => (segmenter ??= createSegmenter(config, logger));
  const models = buildModelRegistry(
    config,
    {
      config,
      logger,
      metrics: metrics.registry,
      services: { segmenter: sharedSegmenter },
    },
    overrides.engineFactories ?? ENGINE_FACTORIES,
  );
  return {
    config,
    store,
    models,
    imageLoader: createImageLoader(config.inputs),
    limiter: coordination.limiter,
    metrics,
    inFlight: coordination.locks,
    queueFor: (model) => coordination.capacityFor(model),
    async warmUp() {
      const shared = sharedSegmenter() as Partial<PooledSegmenter>;
      await shared.warmUp?.();
    },
    async close() {
      await models.close();
      // The segmenter is shared by engines that do not own it, so it is closed here, once.
      await segmenter?.close();
      await leases.stop();
      await coordination.close();
      await store.close();
    },
  };
}
