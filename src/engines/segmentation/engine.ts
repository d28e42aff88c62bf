import { ApiError } from '../../errors.js';
import type { Engine, EngineRequest, EngineResult, EngineStatus } from '../engine.js';
import type { Segmenter } from '../../resources/segmenter/index.js';
import { cutout } from './cutout.js';
import { matteCoverage, matteWarning } from './matte-coverage.js';

/**
 * Background removal as an engine: the image goes to the segmenter (a shared resource), and its matte
 * becomes the alpha of an RGBA cutout. `only_mask` and `bg_color` are the request path's finishing step.
 *
 * @example
 * const engine = new SegmentationEngine(() => resources.get(segmenterResource('isnet-int8')), 'isnet-int8');
 * const result = await engine.run({ operation: 'background-remove', images: [photo], prompt: '', options: {}, signal });
 */
export class SegmentationEngine implements Engine {
  readonly kind = 'segmentation';

  constructor(
    private readonly segmenter: () => Segmenter,
    private readonly modelName: string,
  ) {}

  status(): EngineStatus {
    return this.segmenter().status();
  }

  async warmUp(): Promise<void> {
    if (this.status().online) await this.segmenter().warmUp?.();
  }

  async run(request: EngineRequest): Promise<EngineResult> {
    request.signal.throwIfAborted();
    if (request.operation !== 'background-remove') {
      throw new ApiError('INVALID_PARAMETERS', `This model only removes backgrounds; it cannot run ${request.operation}`);
    }
    const image = request.images[0];
    if (!image) throw new ApiError('INVALID_PARAMETERS', 'An image is required');
    const matte = await this.segmenter().segment(image, request.signal);
    request.signal.throwIfAborted();
    if (request.notes) {
      // A nearly empty or nearly full matte is still answered, with a warning (see matte-coverage.ts).
      request.notes.matteCoverage = matteCoverage(matte);
      const warning = matteWarning(request.notes.matteCoverage);
      if (warning) request.notes.warnings = [...(request.notes.warnings ?? []), warning];
    }
    return { kind: 'raw', image: await cutout(image, matte) };
  }

  describe(): Record<string, unknown> {
    return { segmentation_model: this.modelName, extension_fields: ['only_mask', 'bg_color'] };
  }

  /** The segmenter is a shared resource: its registry closes it, not the engine. */
  async close(): Promise<void> {}
}
