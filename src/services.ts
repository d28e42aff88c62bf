import type { FastifyBaseLogger } from 'fastify';
import { TokenBucketLimiter } from './accounts/rate-limiter.js';
import type { Config } from './config/schema.js';
import { CapacityQueue } from './jobs/capacity-queue.js';
import type { ModelEntry } from './engines/engine.js';
import { ENGINE_FACTORIES } from './engines/factories.js';
import { buildModelRegistry, type EngineFactory, type ModelRegistry } from './engines/model-registry.js';
import { createSegmenter, type PooledSegmenter } from './engines/segmentation/index.js';
import type { Segmenter } from './resources/segmenter/segmenter.js';
import { createMetrics, type HttpMetrics } from './http/metrics.js';
import { createImageLoader, type ImageLoader } from './inputs/index.js';
import { ExclusiveRunner } from './jobs/idempotency.js';
import { SqliteStore } from './storage/sqlite-store.js';
import type { Store } from './storage/store.js';
import { join } from 'node:path';

/** Everything a request needs, built once per server. Tests may pass their own store or engine factories. */
export interface AppServices {
  config: Config;
  store: Store;
  models: ModelRegistry;
  imageLoader: ImageLoader;
  limiter: TokenBucketLimiter;
  metrics: HttpMetrics;
  inFlight: ExclusiveRunner;
  queueFor(model: ModelEntry): CapacityQueue;
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
  const store = overrides.store ?? new SqliteStore(join(config.dataDir, 'retouch.db'));
  const metrics = createMetrics();
  let segmenter: Segmenter | PooledSegmenter | undefined = overrides.segmenter;
  const sharedSegmenter = () => (segmenter ??= createSegmenter(config, logger));
  const onlineModels = () =>
    models.list().filter((m) => m.engine.status().online).map((m) => ({ id: m.id, engine: m.engine.kind }));
  const models = buildModelRegistry(
    config,
    {
      config,
      logger,
      metrics: metrics.registry,
      services: { segmenter: sharedSegmenter, onlineModels },
    },
    overrides.engineFactories ?? ENGINE_FACTORIES,
  );
  const queues = new Map<string, CapacityQueue>();
  return {
    config,
    store,
    models,
    imageLoader: createImageLoader(config.inputs),
    limiter: new TokenBucketLimiter({}),
    metrics,
    inFlight: new ExclusiveRunner(),
    queueFor(model) {
      let queue = queues.get(model.id);
      if (!queue) queues.set(model.id, (queue = new CapacityQueue(model.capacity)));
      return queue;
    },
    async warmUp() {
      const shared = sharedSegmenter() as Partial<PooledSegmenter>;
      await shared.warmUp?.();
    },
    async close() {
      await models.close();
      // The segmenter is shared by engines that do not own it, so it is closed here, once.
      await segmenter?.close();
      await store.close();
    },
  };
}
