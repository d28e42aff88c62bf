import type { FastifyBaseLogger } from 'fastify';
import { JobProgressBoard } from './coordination/job-progress.js';
import { LeaseKeeper } from './accounts/lease-keeper.js';
import type { Config } from './config/schema.js';
import { createCoordination } from './coordination/create-coordination.js';
import type { CapacityLimiter, ErrorBudget, IdempotencyLock, RateLimiter } from './coordination/interfaces.js';
import type { EngineFactory } from './engines/engine-factory.js';
import { ENGINE_FACTORIES } from './engines/factories.js';
import type { ModelEntry } from './engines/model-entry.js';
import { buildModelRegistry, type ModelRegistry } from './engines/model-registry.js';
import { createMetrics, type HttpMetrics } from './metrics.js';
import { createImageLoader, type ImageLoader } from './inputs/index.js';
import { NSFW_CLASSIFIER } from './resources/nsfw-classifier.js';
import { ResourceRegistry } from './resources/resource-registry.js';
import { openStore } from './storage/open-store.js';
import { createProvenance, type Provenance } from './provenance/provenance-service.js';
import { SERVER_VERSION } from './provenance/server-version.js';
import type { Store } from './storage/store.js';

/** Everything a request needs, built once per server. Tests may pass their own store or engine factories. */
export interface AppServices {
  config: Config;
  store: Store;
  models: ModelRegistry;
  /** Models and worker pools shared by engines, created on first use. */
  resources: ResourceRegistry;
  imageLoader: ImageLoader;
  /** Rate limits, idempotency locks and capacity: in memory, or shared by replicas through Redis. */
  limiter: RateLimiter;
  /** Failed requests per key and model, Venice's error budget (http/plugins/error-budget.ts). */
  errorBudget: ErrorBudget;
  metrics: HttpMetrics;
  inFlight: IdempotencyLock;
  /** Progress of running jobs whose clients asked for it (x-progress-token). */
  progress: JobProgressBoard;
  queueFor(model: ModelEntry): CapacityLimiter;
  /** Content Credentials and XMP on every answer (src/provenance). */
  provenance: Provenance;
  /** Loads models now (every engine that offers a warm-up) rather than on the first request that needs them. */
  warmUp(): Promise<void>;
  close(): Promise<void>;
}

export interface ServiceOverrides {
  store?: Store;
  engineFactories?: ReadonlyArray<EngineFactory<unknown>>;
  /** Called with the fresh registry before any engine is built, so a test can `provide` its own resources. */
  provideResources?: (resources: ResourceRegistry) => void;
}

export function createServices(config: Config, logger: FastifyBaseLogger, overrides: ServiceOverrides = {}): AppServices {
  const store = overrides.store ?? openStore(config, (error) => logger.warn({ err: error }, 'database connection lost'));
  const coordination = createCoordination(config, logger);
  // Renews this process's reservation leases and ends those of dead processes (see storage/store.ts).
  const leases = new LeaseKeeper(store, config.leaseMs, logger);
  leases.start();
  const metrics = createMetrics();
  const resources = new ResourceRegistry({ config, logger });
  overrides.provideResources?.(resources);
  // Read lazily by engines (local-edit names the generative models online in its refusals).
  const onlineModels = () =>
    models
      .list()
      .filter((m) => m.engine.status().online)
      .map((m) => ({ id: m.id, engine: m.engine.kind, traits: m.kindTraits }));
  const models = buildModelRegistry(
    config,
    { config, logger, metrics: metrics.registry, resources, onlineModels, endpointSlots: coordination.endpointSlots },
    overrides.engineFactories ?? ENGINE_FACTORIES,
  );
  return {
    config,
    store,
    models,
    resources,
    imageLoader: createImageLoader(config.inputs),
    provenance: createProvenance(config, logger, SERVER_VERSION),
    limiter: coordination.limiter,
    errorBudget: coordination.errorBudget,
    metrics,
    inFlight: coordination.locks,
    progress: new JobProgressBoard(),
    // An alias shares its model's queue: one engine, one capacity.
    queueFor: (model) => coordination.capacityFor(model.aliasOf ? (models.get(model.aliasOf) ?? model) : model),
    async warmUp() {
      await models.warmUp();
      // Safe mode's classifier, when a served model needs it, so the first generated answer does not load it.
      if (models.list().some((m) => m.traits.safeMode === 'classifier' && m.engine.status().online)) {
        await resources.get(NSFW_CLASSIFIER).warmUp?.();
      }
    },
    async close() {
      // Engines first (they stop using resources), then the shared resources, once, then the store.
      await models.close();
      await resources.close();
      await leases.stop();
      await coordination.close();
      await store.close();
    },
  };
}
