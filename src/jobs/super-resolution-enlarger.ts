import type { Config } from '../config/schema.js';
import type { RawImage } from '../imaging/raw-image.js';
import type { ResourceRegistry } from '../resources/resource-registry.js';
import { enlargeImage } from '../resources/super-resolution/index.js';
import { serverUpscaler } from '../resources/super-resolution/server-upscaler.js';
import { effectiveScale } from '../resources/super-resolution/upscale-scale.js';

/**
 * Enlarging a picture with the super-resolution networks of the server's upscale model
 * (`config.upscaleModel`, with that model's options, so the pool is shared with /image/upscale; resolved by
 * `serverUpscaler`), for the finishing step's exact size (OpenAI's `size` on a smaller photo) when the edit
 * model is configured with `enlargeWith: "super-resolution"`. Faithful only (creativity 0): nothing is
 * invented. Returns null when the networks cannot run here (no local upscale model, a package missing),
 * and the caller enlarges with Lanczos instead, saying so in its header.
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
  const upscaler = serverUpscaler(config, resources);
  if ('reason' in upscaler || upscaler.unavailable()) return null;
  return async (image, factor) => {
    // The smallest network scale that reaches the factor, within Venice's output limit (4x may become 2x).
    const scale = effectiveScale(image.width, image.height, factor <= 2 ? 2 : 4);
    const signal = AbortSignal.timeout(timeoutMs);
    const rendered = await enlargeImage(upscaler.pool(), image, upscaler.faithfulJob(scale), signal);
    if (rendered.kind === 'raw') return rendered.image;
    const { data, info } = await rendered.pipeline.raw().toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, channels: info.channels as RawImage['channels'] };
  };
}
