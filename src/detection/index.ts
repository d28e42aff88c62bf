export { createDetectors, type DetectorLogger } from './detector-pool.js';
export type { Box, Detection, Detector, DetectorKind, Detectors } from './detection.js';
