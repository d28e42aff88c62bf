import sharp from 'sharp';
import { blendWeighted } from '../../imaging/worker-ops.js';
import { MAX_INPUT_PIXELS, type RawImage } from '../../imaging/raw-image.js';
import type { ImagingPool } from '../../imaging/worker-pool.js';
import type { EngineRequest, EngineResult } from '../engine.js';
import { BackendError } from './backend-error.js';
import type { PreparedInputs } from './prepare-inputs.js';

/**
 * Turns a backend's image into the engine's result: decoded (whatever format the backend chose), brought
 * to the frame's size, and composited through the mask when there is one (pixels with weight 0 are the
 * original's, bit for bit). Encoding and background-removal options are the request path's finishing step.
 *
 * @example const result = await finishResult(bytesFromBackend, inputs, request, pool);
 */
export async function finishResult(
  output: Buffer,
  inputs: PreparedInputs,
  request: EngineRequest,
  pool: ImagingPool,
  /** The upstream made the picture at a resolution tier: keep its size unless a mask needs the frame's. */
  keepSize = false,
): Promise<EngineResult> {
  const { frame, maskWeights } = inputs;
  // An upscaler answers at its own (larger) size, which the upstream chose (4x may become 2x).
  if (request.operation === 'upscale') return { kind: 'raw', image: await decodeUpscaled(output, frame) };
  let image = await decodeAt(output, maskWeights || !keepSize ? frame : undefined);
  // Weight 0 copies the original's bytes (blendWeighted's rule), in the imaging workers.
  if (maskWeights) image = await blendWeighted(frame, image, maskWeights, undefined, { pool, signal: request.signal });
  return { kind: 'raw', image };
}

/** An upstream's enlargement, kept at its size if it is a 2x or 4x enlargement of what was sent. */
async function decodeUpscaled(output: Buffer, frame: RawImage): Promise<RawImage> {
  const meta = await sharp(output, { limitInputPixels: MAX_INPUT_PIXELS })
    .metadata()
    .catch(() => undefined);
  const factor = meta?.width ? meta.width / frame.width : 0;
  if (!meta?.width || !meta.height || ![2, 4].includes(factor) || meta.height !== frame.height * factor) {
    throw new BackendError(
      'failed',
      `the upscaler answered ${meta?.width}x${meta?.height} for a ${frame.width}x${frame.height} image`,
    );
  }
  return decodeAt(output, { width: meta.width, height: meta.height });
}

/** Decodes the backend's bytes (whatever format it chose) at `size` (or its own), keeping its alpha if any. */
async function decodeAt(bytes: Buffer, size?: { width: number; height: number }): Promise<RawImage> {
  try {
    let pipeline = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' });
    const meta = await pipeline.metadata();
    if (size && (meta.width !== size.width || meta.height !== size.height)) {
      pipeline = pipeline.resize(size.width, size.height, { fit: 'fill', kernel: 'lanczos3' });
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
