import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config/schema.js';

/**
 * Models and pools that several engines share (the segmentation model, the detectors, the
 * super-resolution model, the imaging worker pool). Each is declared once as a `ResourceKey` and created
 * by the registry on first use, so a server that never removes a background never loads ISNet; every
 * engine asking for the same key gets the same instance; and the registry closes them all, once, when
 * the server stops.
 *
 * @example
 * export const IMAGING_POOL: ResourceKey<ImagingPool> = {
 *   id: 'imaging-pool',
 *   create: ({ config }) => createImagingPool(config.workers.imaging),
 * };
 * const pool = context.resources.get(IMAGING_POOL);
 */
export interface SharedResource {
  /** Loads weights and starts workers now, so that the first request does not pay for it. */
  warmUp?(): Promise<void>;
  close(): Promise<void>;
}

export interface ResourceKey<T extends SharedResource> {
  /** Unique per instance: a key made for one model file (`segmenter:isnet`) names that file. */
  readonly id: string;
  create(context: ResourceContext): T;
}

export interface ResourceContext {
  config: Config;
  logger: FastifyBaseLogger;
}

export class ResourceRegistry {
  private readonly instances = new Map<string, SharedResource>();

  constructor(private readonly context: ResourceContext) {}

  /** The shared instance for `key`, created now if this is its first use. */
  get<T extends SharedResource>(key: ResourceKey<T>): T {
    let instance = this.instances.get(key.id);
    if (!instance) {
      instance = key.create(this.context);
      this.instances.set(key.id, instance);
    }
    return instance as T;
  }

  /** Installs an instance made elsewhere (a test's own segmenter); the registry closes it like its own. */
  provide<T extends SharedResource>(key: ResourceKey<T>, instance: T): void {
    if (this.instances.has(key.id)) throw new Error(`resource ${key.id} already exists`);
    this.instances.set(key.id, instance);
  }

  /** Whether `key` has been created (tests and /readyz use it; `get` would create it). */
  has(key: ResourceKey<SharedResource>): boolean {
    return this.instances.has(key.id);
  }

  /** Closes every instance, the newest first, and forgets them; closing twice is harmless. */
  async close(): Promise<void> {
    const all = [...this.instances.values()].reverse();
    this.instances.clear();
    for (const instance of all) await instance.close();
  }
}
