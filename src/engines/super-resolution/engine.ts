import { ApiError } from '../../errors.js';
import { effectiveScale, type UpscaleScale } from '../../resources/super-resolution/upscale-scale.js';
import { enlargeImage } from '../../resources/super-resolution/enlarge.js';
import {
  faithfulNetworks,
  SR_MODELS,
  type Precision,
  type SrModelSpec,
  type SuperResolution,
} from '../../resources/super-resolution/index.js';
import { checkUpscaleTime, type UpscaleNetworks } from '../../resources/super-resolution/upscale-cost.js';
import type { AdmissionRequest, Engine, EngineRequest, EngineResult, EngineStatus } from '../engine.js';
import { CREATIVITY_MAX, creativityMix, DEFAULT_CREATIVITY } from './creativity.js';
import type { SuperResolutionEngineOptions } from './options.js';

/**
 * Local super-resolution: the image is enlarged 2x or 4x by neural networks on the CPU (ONNX Runtime, in
 * worker threads, tile by tile; a shared resource). Colour goes through the networks; an alpha channel,
 * which they were not trained on, is enlarged with Lanczos and joined back (enlarge.ts, which local-edit's
 * upscale step shares). `creativity` chooses the mix of the faithful and the generative network
 * (creativity.ts). Encoding is the request's finishing step.
 *
 * @example
 * const engine = new SuperResolutionEngine(() => resources.get(superResolutionResource(pool)), options);
 * const result = await engine.run({ operation: 'upscale', images: [photo], prompt: '', options: { scale: 4, creativity: 0 }, signal });
 */
export class SuperResolutionEngine implements Engine {
  readonly kind = 'super-resolution';
  private readonly networks: { faithful: Record<2 | 4, SrModelSpec>; generative: SrModelSpec };
  private readonly precision: Precision;

  constructor(
    private readonly sr: () => SuperResolution,
    options: SuperResolutionEngineOptions,
  ) {
    this.networks = { faithful: faithfulNetworks(options.faithful)!, generative: SR_MODELS[options.generative] };
    this.precision = options.precision;
  }

  status(): EngineStatus {
    return this.sr().status(this.all());
  }

  // No warmUp(): loading and converting the networks costs a few seconds and about 0.3 GB that a server
  // which never upscales should not pay at start; the first upscale pays it instead (small next to its run).

  /** Refuses, before any charge, an upscale the cost model says would take longer than the time limit. */
  admit(request: AdmissionRequest): void {
    const image = request.images[0];
    if (request.operation !== 'upscale' || !image) return;
    const mix = creativityMix(request.options.creativity ?? DEFAULT_CREATIVITY);
    checkUpscaleTime(image.width, image.height, request.options.scale ?? 2, (scale) => this.networksFor(scale, mix));
  }

  async run(request: EngineRequest): Promise<EngineResult> {
    request.signal.throwIfAborted();
    if (request.operation !== 'upscale') {
      throw new ApiError('INVALID_PARAMETERS', `This model only upscales images; it cannot run ${request.operation}`);
    }
    const image = request.images[0];
    if (!image) throw new ApiError('INVALID_PARAMETERS', 'An image is required');
    const scale = effectiveScale(image.width, image.height, request.options.scale ?? 2);
    const mix = creativityMix(request.options.creativity ?? DEFAULT_CREATIVITY);
    return enlargeImage(this.sr(), image, { scale, ...this.networksFor(scale, mix) }, request.signal, request.progress);
  }

  private networksFor(scale: UpscaleScale, mix: number): UpscaleNetworks {
    const { faithful, generative } = this.networks;
    return { faithful: faithful[scale], generative, mix, precision: this.precision };
  }

  describe(): Record<string, unknown> {
    const { faithful, generative } = this.networks;
    return {
      scales: [2, 4],
      creativity: {
        min: 0,
        max: CREATIVITY_MAX,
        default: DEFAULT_CREATIVITY,
        meaning: `share of the generative network = creativity / ${CREATIVITY_MAX}; 0 runs only the faithful network`,
      },
      networks: { faithful: [faithful[2].name, faithful[4].name], generative: generative.name, precision: this.precision },
    };
  }

  /** The pool is a shared resource: its registry closes it, not the engine. */
  async close(): Promise<void> {}

  private all(): SrModelSpec[] {
    const { faithful, generative } = this.networks;
    return [faithful[2], faithful[4], generative];
  }
}
