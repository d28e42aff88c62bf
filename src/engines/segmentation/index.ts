/**
 * Background removal and subject masks with ISNet (or another ONNX model of its family) on the CPU.
 * See docs/background-removal.md.
 */
export { createSegmenter, type PooledSegmenter, type SegmenterOptions, type SegmenterLogger } from '../../resources/segmenter/segmenter-pool.js';
export { segmentationEngineFactory, SegmentationEngine } from './engine.js';
export { BUILTIN_MODELS, resolveModelSpec, knownModelNames, defaultModelName, type ModelSpec } from '../../resources/segmenter/builtin-models.js';
export { segmentationConfigSchema, segmentationEngineOptionsSchema, DEFAULT_SEGMENTATION_MODEL } from '../../resources/segmenter/model-config.js';
export { renderCutout, assertBackgroundColour } from './cutout.js';
export type { Segmenter, AlphaMatte } from '../../resources/segmenter/segmenter.js';
