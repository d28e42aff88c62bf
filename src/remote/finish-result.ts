import sharp from 'sharp';
import { ApiError } from '../errors.js';
import { blendWeighted } from '../imaging/pixel-jobs.js';
import { encodePng, MAX_INPUT_PIXELS, PNG_OPTIONS, type RawImage } from '../imaging/raw-image.js';
import type { EngineRequest, EngineResult } from '../engines/engine.js';
import { BackendError } from './backend-error.js';
import type { PreparedJob } from './prepare-inputs.js';

/**
 * Turns a backend's image into the API's answer: decoded (whatever format the backend chose), brought to
 * the frame's size, composited through the mask when there is one (pixels with weight 0 are the
 * original's, bit for bit), and encoded as PNG with the project's settings.
 *
 * @example const result = await finishResult(bytesFromBackend, job, request);
 */
export async function finishResult(output: Buffer, job: PreparedJob, request: EngineRequest): Promise<EngineResult> {
  const { frame, maskWeights } = job;
  // An upscaler answers at its own (larger) size, which the upstream chose (4x may become 2x).
  if (request.operation === 'upscale') return finishUpscale(output, frame);
  let image = await decodeAt(output, frame.width, frame.height);
  // Weight 0 copies the original's bytes (blendWeighted's rule), in the imaging workers.
  if (maskWeights) image = await blendWeighted(frame, image, maskWeights, undefined, request.signal);
  if (request.operation === 'background-remove') return finishCutout(image, request);
  return { png: await encodePng(image), width: image.width, height: image.height };
}

/** Decodes the backend's bytes (whatever format it chose) at `width` x `height`, keeping its alpha if any. */
async function decodeAt(bytes: Buffer, width: number, height: number): Promise<RawImage> {
  try {
    let pipeline = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' });
    const meta = await pipeline.metadata();
    if (meta.width !== width || meta.height !== height) {
      pipeline = pipeline.resize(width, height, { fit: 'fill', kernel: 'lanczos3' });
    }
    pipeline = meta.hasAlpha ? pipeline.ensureAlpha() : pipeline.removeAlpha();
    const { data, info } = await pipeline.toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, channels: info.channels as 3 | 4 };
  } catch (error) {
    throw new BackendError('failed', `the backend's output is not a decodable image: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** An upstream's enlargement, kept at its size if it is a 2x or 4x enlargement of what was sent. */
async function finishUpscale(output: Buffer, frame: RawImage): Promise<EngineResult> {
  const meta = await sharp(output, { limitInputPixels: MAX_INPUT_PIXELS }).metadata().catch(() => undefined);
  const factor = meta?.width ? meta.width / frame.width : 0;
  if (!meta?.width || !meta.height || ![2, 4].includes(factor) || meta.height !== frame.height * factor) {
    throw new BackendError('failed', `the upscaler answered ${meta?.width}x${meta?.height} for a ${frame.width}x${frame.height} image`);
  }
  const image = await decodeAt(output, meta.width, meta.height);
  return { png: await encodePng(image), width: image.width, height: image.height };
}

/** Background removal's extension fields, applied here so every upstream gets them. */
async function finishCutout(image: RawImage, request: EngineRequest): Promise<EngineResult> {
  const { width, height } = image;
  const raw = { raw: { width, height, channels: image.channels }, limitInputPixels: MAX_INPUT_PIXELS };
  if (request.options.onlyMask) {
    const alpha = image.channels === 4 ? sharp(image.data, raw).extractChannel(3) : sharp(image.data, raw).greyscale();
    return { png: await alpha.png(PNG_OPTIONS).toBuffer(), width, height };
  }
  if (request.options.bgColor) {
    try {
      const png = await sharp(image.data, raw).flatten({ background: request.options.bgColor }).png(PNG_OPTIONS).toBuffer();
      return { png, width, height };
    } catch (error) {
      throw new ApiError('INVALID_PARAMETERS', `Expected a CSS colour for bg_color but received ${request.options.bgColor}`, {
        cause: error,
      });
    }
  }
  return { png: await encodePng(image), width, height };
}
