import sharp from 'sharp';
import type { EngineResult } from '../engines/engine.js';
import { ApiError } from '../errors.js';
import { MAX_INPUT_PIXELS, PNG_OPTIONS, sharpFromRaw } from '../imaging/raw-image.js';
import type { Sharp } from 'sharp';

/**
 * The finishing step of the request path, after any engine: what does not depend on the engine that made
 * the picture. Background removal's `only_mask` (the alpha as a grey image) and `bg_color` (the cutout on
 * a colour) are derived here from whatever RGBA cutout the engine answered, local or remote; then the
 * picture is encoded (PNG with the measured settings).
 */
export interface FinishOptions {
  /** Return the alpha matte as a one-channel greyscale image. */
  onlyMask?: boolean;
  /** Composite onto this colour (CSS hex or name) instead of keeping transparency. */
  bgColor?: string;
}

export interface FinishedImage {
  body: Buffer;
  contentType: string;
  width: number;
  height: number;
}

const HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;
const NAME = /^[a-z]{3,20}$/i;

/**
 * Refuses finishing options that could never work, before any credit is reserved or any engine runs, so a
 * typo in `bg_color` costs nothing even on a GPU backend.
 *
 * @example checkFinishOptions({ bgColor: '#1e90ff' }); checkFinishOptions({ bgColor: 'white' }); // ok
 * @example checkFinishOptions({ bgColor: 'blurple' }) // throws ApiError INVALID_PARAMETERS (400)
 */
export function checkFinishOptions(options: FinishOptions): void {
  const colour = options.bgColor;
  if (colour === undefined) return;
  const problem = () =>
    new ApiError('INVALID_PARAMETERS', `Expected '#rrggbb', '#rgb' or a CSS colour name for bg_color but received '${colour.slice(0, 32)}'`);
  if (!HEX.test(colour) && !NAME.test(colour)) throw problem();
  try {
    // sharp parses colours with the CSS colour table; an unknown name throws here.
    sharp({ create: { width: 1, height: 1, channels: 3, background: colour } });
  } catch {
    throw problem();
  }
}

/**
 * @example const { body, contentType } = await finishOutput(await engine.run(request), { bgColor: 'white' });
 */
export async function finishOutput(result: EngineResult, options: FinishOptions): Promise<FinishedImage> {
  let pipeline: Sharp = result.kind === 'raw' ? sharpFromRaw(result.image) : result.pipeline;
  if (options.onlyMask || options.bgColor) {
    // Both read the engine's alpha, so the picture is written out once first (a pipeline may still hold
    // operations that sharp would otherwise order after these).
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    const raw = { raw: { width: info.width, height: info.height, channels: info.channels }, limitInputPixels: MAX_INPUT_PIXELS };
    if (options.onlyMask) {
      // An engine that answered without alpha (an opaque remote result) gives its luminance as the mask.
      pipeline = (info.channels === 4 ? sharp(data, raw).extractChannel(3) : sharp(data, raw).greyscale()).toColourspace('b-w');
    } else {
      pipeline = sharp(data, raw).flatten({ background: options.bgColor });
    }
  }
  const { data, info } = await pipeline.png(PNG_OPTIONS).toBuffer({ resolveWithObject: true });
  return { body: data, contentType: 'image/png', width: info.width, height: info.height };
}
