import { knownSegmentationModels, defaultSegmentationModel, segmenterResource } from '../../resources/segmenter/index.js';
import { UnavailableEngine, type EngineFactory } from '../engine-factory.js';
import { SegmentationEngine } from './engine.js';
import { segmentationEngineOptionsSchema, type SegmentationEngineOptions } from './options.js';

/**
 * `"engine": "segmentation"`: background removal with ISNet or another registered segmentation model.
 * Models naming the same segmentation model share one resource (and local-edit shares the default one).
 */
export const segmentationEngineFactory: EngineFactory<SegmentationEngineOptions> = {
  kind: 'segmentation',
  // A matte over the input's own colours.
  traits: { runs: 'local', operations: ['background-remove'], newContent: false, keepsInputSize: true, upstreamFields: [] },
  optionsSchema: segmentationEngineOptionsSchema,
  create(options, context) {
    const name = options.segmentationModel ?? defaultSegmentationModel(context.config);
    if (!knownSegmentationModels(context.config).includes(name)) {
      return new UnavailableEngine('segmentation', `unknown segmentation model "${name}"`);
    }
    return new SegmentationEngine(() => context.resources.get(segmenterResource(name)), name);
  },
};
