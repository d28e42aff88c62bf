import type { FastifyBaseLogger } from 'fastify';
import { join } from 'node:path';
import { TokenBucketLimiter } from './accounts/rate-limiter.js';
import type { Config } from './config/schema.js';
import type { EngineFactory } from './engines/engine-factory.js';
import { ENGINE_FACTORIES } from './engines/factories.js';
import type { ModelEntry } from './engines/model-entry.js';
import { buildModelRegistry, type ModelRegistry } from './engines/model-registry.js';
import { createMetrics, type HttpMetrics } from './http/metrics.js';
import { createImageLoader, type ImageLoader } from './inputs/index.js';
import { CapacityQueue } from './jobs/capacity-queue.js';
import { ExclusiveRunner } from './jobs/exclusive-runner.js';
import { ResourceRegistry } from './resources/resource-registry.js';
import { SqliteStore } from './storage/sqlite-store.js';
import type { Store } from './storage/store.js';

/** Everything a request needs, built once per server. Tests may pass their own store or engine factories. */
export interface AppServices {
  config: Config;
  store: Store;
  models: ModelRegistry;
  /** Models and worker pools shared by engines, created on first use. */
  resources: ResourceRegistry;
  imageLoader: ImageLoader;
  limiter: TokenBucketLimiter;
  metrics: HttpMetrics;
  inFlight: ExclusiveRunner;
  queueFor(model: ModelEntry): CapacityQueue;
  /** Loads models now (every engine that offers a warm-up) rather than on the first request that needs them. */
  warmUp(): Promise<void>;
  close(): Promise<void>;
}

export interface ServiceOverrides {
  store?: Store;
  engineFactories?: ReadonlyArray<EngineFactory<any>>;
  /** Called with the fresh registry before any engine is built, so a test can `provide` its own resources. */
  provideResources?: (resources: ResourceRegistry) => void;
}

export function createServices(config: Config, logger: FastifyBaseLogger, overrides: ServiceOverrides = {}): AppServices {
  const store = overrides.store ?? new SqliteStore(join(config.dataDir, 'retouch.db'));
  const metrics = createMetrics();
  const resources = new ResourceRegistry({ config, logger });
  overrides.provideResources?.(resources);
  const models = buildModelRegistry(
    config,
    { config, logger, metrics: metrics.registry, resources },
    overrides.engineFactories ?? ENGINE_FACTORIES,
  );
  const queues = new Map<string, CapacityQueue>();
  return {
    config,
    store,
    models,
    resources,
    imageLoader: createImageLoader(config.inputs),
    limiter: new TokenBucketLimiter({}),
    metrics,
    inFlight: new ExclusiveRunner(),
    queueFor(model) {
      let queue = queues.get(model.id);
      if (!queue) queues.set(model.id, (queue = new CapacityQueue(model.capacity)));
      return queue;
    },
    warmUp: () => models.warmUp(),
    async close() {
      // Engines first (they stop using resources), then the shared resources, once, then the store.
      await models.close();
      await resources.close();
      await store.close();
    },
  };
}
