import type { FastifyBaseLogger } from 'fastify';
import type { Registry } from 'prom-client';
import type { Config } from '../config/schema.js';
import type { EndpointSlots } from '../coordination/interfaces.js';
import type { ResourceRegistry } from '../resources/resource-registry.js';
import type { KindTraits } from './kind-traits.js';

/**
 * What an engine factory receives: the frozen config, a logger, the metrics registry, and the registry of
 * shared resources (models and worker pools several engines use; created on first use, closed once).
 *
 * @example
 * const pool = context.resources.get(IMAGING_POOL);
 * const segmenter = context.resources.get(segmenterResource('isnet-int8'));
 */
export interface EngineContext {
  config: Config;
  logger: FastifyBaseLogger;
  metrics: Registry;
  resources: ResourceRegistry;
  /** The models online now, with their engine kind and its traits; read when needed (the registry is built after the engines). */
  onlineModels?(): Array<{ id: string; engine: string; traits: KindTraits }>;
  /** Remote endpoints' call slots shared by every replica (Redis); absent in one process. */
  endpointSlots?: EndpointSlots;
}
