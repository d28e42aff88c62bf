/**
 * The object, face and text detectors as one shared resource: local-edit finds named things with them.
 * See detector-pool.ts for the worker thread and model-files.ts for the weights and their checks.
 */
import type { ResourceKey } from '../resource-registry.js';
import type { Detectors } from './detection.js';
import { createDetectors } from './detector-pool.js';

export { createDetectors, type DetectorLogger } from './detector-pool.js';
export type { Box, Detection, Detector, DetectorKind, Detectors } from './detection.js';

/** The detectors, created on first use (nothing loads until a prompt names a thing). */
export const DETECTORS: ResourceKey<Detectors> = {
  id: 'detectors',
  create: ({ config, logger }) => createDetectors(logger, 1, config.workers.unloadIdleSeconds * 1000),
};
