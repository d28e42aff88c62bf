import { sharpFromRaw, type RawImage } from '../../imaging/raw-image.js';
import type { Rendered } from '../../imaging/rendered.js';
import type { SuperResolution, UpscaleJob } from './sr-pool.js';

/**
 * One picture enlarged by the networks, alpha included: colour goes through them; an alpha channel, which
 * they were not trained on, is enlarged with Lanczos and joined back. Shared by the super-resolution
 * engine (/image/upscale) and local-edit's upscale step, so both give the same pixels for the same input.
 * The caller has chosen the scale (effectiveScale) and the networks.
 *
 * @example
 * const result = await enlargeImage(sr, photo, { scale: 2, faithful, generative, mix: 0 }, signal);
 */
export async function enlargeImage(
  sr: SuperResolution,
  image: RawImage,
  networks: Pick<UpscaleJob, 'scale' | 'faithful' | 'generative' | 'mix' | 'precision'>,
  signal: AbortSignal,
  onProgress?: (done: number, total: number) => void,
): Promise<Rendered> {
  const rgb = image.channels === 4 ? await withoutAlpha(image) : image.data;
  const out = await sr.upscale({ pixels: rgb, width: image.width, height: image.height, ...networks }, signal, onProgress);
  signal.throwIfAborted();
  const enlarged: RawImage = {
    data: Buffer.from(out.pixels.buffer, out.pixels.byteOffset, out.pixels.byteLength),
    width: out.width,
    height: out.height,
    channels: 3,
  };
  if (image.channels === 3) return { kind: 'raw', image: enlarged };
  const alpha = await enlargedAlpha(image, out.width, out.height);
  return {
    kind: 'pipeline',
    pipeline: sharpFromRaw(enlarged).joinChannel(alpha, { raw: { width: out.width, height: out.height, channels: 1 } }),
  };
}

async function withoutAlpha(image: RawImage): Promise<Buffer> {
  return sharpFromRaw(image).removeAlpha().raw().toBuffer();
}

/** The input's alpha channel resized with Lanczos to the output size (one byte per pixel). */
async function enlargedAlpha(image: RawImage, width: number, height: number): Promise<Buffer> {
  return sharpFromRaw(image).extractChannel(3).resize(width, height, { fit: 'fill', kernel: 'lanczos3' }).raw().toBuffer();
}
