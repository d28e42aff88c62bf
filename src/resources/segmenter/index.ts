/**
 * The segmentation model (ISNet, or another ONNX model of its family) as a shared resource: background
 * removal and local-edit's subject operations use the same instance. See docs/background-removal.md.
 */
import type { Config } from '../../config/schema.js';
import type { ResourceKey } from '../resource-registry.js';
import { defaultSegmentationModel } from './segmentation-models.js';
import { createSegmenter, type PooledSegmenter } from './segmenter-pool.js';

export type { AlphaMatte, Segmenter } from './segmenter.js';
export { createSegmenter } from './segmenter-pool.js';
export { defaultSegmentationModel, knownSegmentationModels } from './segmentation-models.js';

/** The segmenter running the model called `name`: one worker pool per model name, per server. */
export function segmenterResource(name: string): ResourceKey<PooledSegmenter> {
  return {
    id: `segmenter:${name}`,
    create: ({ config, logger }) => createSegmenter(config, logger, { model: name }),
  };
}

/** The segmenter of the background-removal model, which local-edit's subject masks share. */
export function defaultSegmenterResource(config: Config): ResourceKey<PooledSegmenter> {
  return segmenterResource(defaultSegmentationModel(config));
}
