import type { Config } from '../config/schema.js';
import { superResolutionOptionsSchema } from '../engines/super-resolution/options.js';
import type { RawImage } from '../imaging/raw-image.js';
import type { ResourceRegistry } from '../resources/resource-registry.js';
import {
  enlargeImage,
  faithfulNetworks,
  SR_MODELS,
  superResolutionResource,
  type SrModelSpec,
} from '../resources/super-resolution/index.js';
import { effectiveScale } from '../resources/super-resolution/upscale-scale.js';

/**
 * Enlarging a picture with the super-resolution networks of the server's upscale model
 * (`config.upscaleModel`, with that model's options, so the pool is shared with /image/upscale), for the
 * finishing step's exact size (OpenAI's `size` on a smaller photo) when the edit model is configured with
 * `enlargeWith: "super-resolution"`. Faithful only (creativity 0): nothing is invented. Returns null when
 * the networks cannot run here (no local upscale model, a package missing), and the caller enlarges with
 * Lanczos instead, saying so in its header.
 *
 * @example
 * const enlarge = superResolutionEnlarger(config, resources, 120_000);
 * if (enlarge) image = await enlarge(image, 2.4); // 4x by the networks; the exact size is resized after
 */
export function superResolutionEnlarger(
  config: Config,
  resources: ResourceRegistry,
  timeoutMs: number,
): ((image: RawImage, factor: number) => Promise<RawImage>) | null {
  const model = config.models[config.upscaleModel];
  if (model?.engine !== 'super-resolution') return null;
  const options = superResolutionOptionsSchema.safeParse(model.options);
  if (!options.success) return null;
  const { workers, tileSize, tileOverlap, faithful, generative, precision } = options.data;
  const networks: Record<2 | 4, SrModelSpec> = faithfulNetworks(faithful)!;
  const sr = resources.get(superResolutionResource({ workers, tileSize, tileOverlap }));
  if (!sr.status([networks[2], networks[4]]).online) return null;
  return async (image, factor) => {
    // The smallest network scale that reaches the factor, within Venice's output limit (4x may become 2x).
    const scale = effectiveScale(image.width, image.height, factor <= 2 ? 2 : 4);
    const signal = AbortSignal.timeout(timeoutMs);
    const jobNetworks = { scale, faithful: networks[scale], generative: SR_MODELS[generative]!, mix: 0, precision };
    const rendered = await enlargeImage(sr, image, jobNetworks, signal);
    if (rendered.kind === 'raw') return rendered.image;
    const { data, info } = await rendered.pipeline.raw().toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, channels: info.channels as RawImage['channels'] };
  };
}
