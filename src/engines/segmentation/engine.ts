import { ApiError } from '../../errors.js';
import type { Engine, EngineRequest, EngineResult, EngineStatus } from '../engine.js';
import type { EngineContext } from '../context.js';
import { UnavailableEngine, type EngineFactory } from '../model-registry.js';
import { defaultModelName, knownModelNames } from '../../resources/segmenter/builtin-models.js';
import { assertBackgroundColour, renderCutout } from './cutout.js';
import { segmentationEngineOptionsSchema, type SegmentationEngineOptions } from '../../resources/segmenter/model-config.js';
import { createSegmenter } from '../../resources/segmenter/segmenter-pool.js';
import type { Segmenter } from '../../resources/segmenter/segmenter.js';

/**
 * Background removal as an engine: the model entry's requests (`operation: 'background-remove'`) go to
 * the segmenter, and the matte becomes a cutout, a mask or a composite (see cutout.ts).
 */
export class SegmentationEngine implements Engine {
  readonly kind = 'segmentation';

  constructor(
    private readonly segmenter: () => Segmenter,
    private readonly modelName: string,
    private readonly ownsSegmenter: boolean,
  ) {}

  status(): EngineStatus {
    return this.segmenter().status();
  }

  async run(request: EngineRequest): Promise<EngineResult> {
    if (request.operation !== 'background-remove') {
      throw new ApiError('INVALID_PARAMETERS', `This model only removes backgrounds; it cannot run ${request.operation}`);
    }
    const image = request.images[0];
    if (!image) throw new ApiError('INVALID_PARAMETERS', 'An image is required');
    if (request.options.bgColor) assertBackgroundColour(request.options.bgColor);
    const matte = await this.segmenter().segment(image, request.signal);
    request.signal.throwIfAborted();
    return renderCutout(image, matte, request.options);
  }

  describe(): Record<string, unknown> {
    return { segmentation_model: this.modelName, extension_fields: ['only_mask', 'bg_color'] };
  }

  async close(): Promise<void> {
    if (this.ownsSegmenter) await this.segmenter().close();
  }
}

/**
 * `"engine": "segmentation"`. The shared segmenter serves the default model; a model entry naming another
 * one (`options.segmentationModel`) gets its own pool, started on its first request.
 */
export const segmentationEngineFactory: EngineFactory<SegmentationEngineOptions> = {
  kind: 'segmentation',
  optionsSchema: segmentationEngineOptionsSchema,
  create(options, context: EngineContext) {
    const name = options.segmentationModel ?? defaultModelName(context.config);
    if (!knownModelNames(context.config).includes(name)) {
      return new UnavailableEngine('segmentation', `unknown segmentation model "${name}"`);
    }
    if (name === defaultModelName(context.config)) {
      return new SegmentationEngine(() => context.services.segmenter(), name, false);
    }
    let own: Segmenter | undefined;
    return new SegmentationEngine(() => (own ??= createSegmenter(context.config, context.logger, { model: name })), name, true);
  },
};
