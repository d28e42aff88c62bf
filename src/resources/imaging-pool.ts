import { createImagingPool, type ImagingPool } from '../imaging/worker-pool.js';
import type { ResourceKey } from './resource-registry.js';

/** The worker threads for CPU pixel work, sized by `workers.imaging` (0: one per core). */
export const IMAGING_POOL: ResourceKey<ImagingPool> = {
  id: 'imaging-pool',
  create: ({ config }) => createImagingPool(config.workers.imaging),
};
