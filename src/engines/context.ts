import type { FastifyBaseLogger } from 'fastify';
import type { Registry } from 'prom-client';
import type { Config } from '../config/schema.js';
import type { Segmenter } from '../resources/segmenter/segmenter.js';

/**
 * What an engine factory receives: the frozen config, a logger, the metrics registry, and the services
 * shared by several engines (created once per server, closed when it stops).
 */
export interface EngineContext {
  config: Config;
  logger: FastifyBaseLogger;
  metrics: Registry;
  services: SharedServices;
}

export interface SharedServices {
  /** The segmentation model; background removal and local-edit's subject operations share it. */
  segmenter(): Segmenter;
  /** The models online now, with their engine kind; read when needed (the registry is built after the engines). */
  onlineModels?(): Array<{ id: string; engine: string }>;
}
