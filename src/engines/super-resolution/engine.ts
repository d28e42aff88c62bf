import sharp from 'sharp';
import { ApiError } from '../../errors.js';
import { MAX_INPUT_PIXELS, PNG_OPTIONS, sharpFromRaw, type RawImage } from '../../imaging/raw-image.js';
import { effectiveScale } from '../../jobs/upscale-scale.js';
import { modelFor, SR_MODELS, type SrModelSpec } from '../../resources/super-resolution/sr-models.js';
import type { SuperResolution } from '../../resources/super-resolution/sr-pool.js';
import type { Engine, EngineRequest, EngineResult, EngineStatus } from '../engine.js';
import { CREATIVITY_MAX, creativityMix, DEFAULT_CREATIVITY } from './creativity.js';
import type { SuperResolutionEngineOptions } from './options.js';

/**
 * Local super-resolution: the image is enlarged 2x or 4x by neural networks on the CPU (ONNX Runtime, in
 * worker threads, tile by tile). Colour goes through the networks; an alpha channel, which they were not
 * trained on, is enlarged with Lanczos and joined back. `creativity` chooses the mix of the faithful and the
 * generative network (creativity.ts).
 */
export class SuperResolutionEngine implements Engine {
  readonly kind = 'super-resolution';
  private readonly networks: { faithful: Record<2 | 4, SrModelSpec>; generative: SrModelSpec };

  constructor(
    private readonly sr: () => SuperResolution,
    options: SuperResolutionEngineOptions,
    private readonly ownsPool: boolean,
  ) {
    this.networks = {
      faithful: { 2: modelFor(options.faithful, 2)!, 4: modelFor(options.faithful, 4)! },
      generative: SR_MODELS[options.generative],
    };
  }

  status(): EngineStatus {
    const { faithful, generative } = this.networks;
    return this.sr().status([faithful[2], faithful[4], generative]);
  }

  async run(request: EngineRequest): Promise<EngineResult> {
    if (request.operation !== 'upscale') {
      throw new ApiError('INVALID_PARAMETERS', `This model only upscales images; it cannot run ${request.operation}`);
    }
    const image = request.images[0];
    if (!image) throw new ApiError('INVALID_PARAMETERS', 'An image is required');
    const scale = effectiveScale(image.width, image.height, request.options.scale ?? 2);
    const mix = creativityMix(request.options.creativity ?? DEFAULT_CREATIVITY);
    const rgb = image.channels === 4 ? await withoutAlpha(image) : image.data;
    const out = await this.sr().upscale(
      { pixels: rgb, width: image.width, height: image.height, scale, faithful: this.networks.faithful[scale], generative: this.networks.generative, mix },
      request.signal,
    );
    request.signal.throwIfAborted();
    const raw = { raw: { width: out.width, height: out.height, channels: 3 as const }, limitInputPixels: MAX_INPUT_PIXELS };
    let pipeline = sharp(out.pixels, raw);
    if (image.channels === 4) pipeline = pipeline.joinChannel(await enlargedAlpha(image, out.width, out.height), { raw: { width: out.width, height: out.height, channels: 1 } });
    const png = await pipeline.png(PNG_OPTIONS).toBuffer();
    return { png, width: out.width, height: out.height };
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
      networks: { faithful: [faithful[2].name, faithful[4].name], generative: generative.name },
    };
  }

  async close(): Promise<void> {
    if (this.ownsPool) await this.sr().close();
  }
}

async function withoutAlpha(image: RawImage): Promise<Buffer> {
  return sharpFromRaw(image).removeAlpha().raw().toBuffer();
}

/** The input's alpha channel resized with Lanczos to the output size (one byte per pixel). */
async function enlargedAlpha(image: RawImage, width: number, height: number): Promise<Buffer> {
  return sharpFromRaw(image).extractChannel(3).resize(width, height, { fit: 'fill', kernel: 'lanczos3' }).raw().toBuffer();
}
