/**
 * Background removal and subject masks with ISNet (or another ONNX model of its family) on the CPU.
 * See docs/background-removal.md.
 */
export { createSegmenter, type PooledSegmenter, type SegmenterOptions, type SegmenterLogger } from './segmenter-pool.js';
export { segmentationEngineFactory, SegmentationEngine } from './segmentation-engine.js';
export { BUILTIN_MODELS, resolveModelSpec, knownModelNames, defaultModelName, type ModelSpec } from './builtin-models.js';
export { segmentationConfigSchema, segmentationEngineOptionsSchema, DEFAULT_SEGMENTATION_MODEL } from './model-config.js';
export { renderCutout, assertBackgroundColour } from './cutout.js';
export type { Segmenter, AlphaMatte } from './segmenter.js';
