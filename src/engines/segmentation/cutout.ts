import type { Sharp } from 'sharp';
import sharp from 'sharp';
import { ApiError } from '../../errors.js';
import { MAX_INPUT_PIXELS, PNG_OPTIONS, sharpFromRaw, type RawImage } from '../../imaging/raw-image.js';
import type { EngineOptions, EngineResult } from '../engine.js';
import type { AlphaMatte } from '../../resources/segmenter/segmenter.js';

/**
 * The three results of background removal, from the photo and its matte:
 * - default: RGBA PNG, colour channels exactly the input's pixels, alpha the matte;
 * - `onlyMask`: the matte as a one-channel greyscale PNG;
 * - `bgColor`: the cutout composited onto a colour, an opaque RGB PNG.
 * sharp does the joining and encoding on its own threads, off the event loop.
 */

const HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;
const NAME = /^[a-z]{3,20}$/i;

/**
 * Checks `bg_color` before any inference, so a typo costs nothing: `#rrggbb`, `#rgb` or a CSS colour name.
 *
 * @example assertBackgroundColour('#1e90ff'); assertBackgroundColour('white'); // ok
 * @example assertBackgroundColour('blurple') // throws ApiError INVALID_PARAMETERS (400)
 */
export function assertBackgroundColour(value: string): void {
  const problem = () =>
    new ApiError('INVALID_PARAMETERS', `Expected '#rrggbb', '#rgb' or a CSS colour name for bg_color but received '${value.slice(0, 32)}'`);
  if (!HEX.test(value) && !NAME.test(value)) throw problem();
  try {
    // sharp parses colours with the CSS colour table; an unknown name throws here.
    sharp({ create: { width: 1, height: 1, channels: 3, background: value } });
  } catch {
    throw problem();
  }
}

export async function renderCutout(image: RawImage, matte: AlphaMatte, options: EngineOptions): Promise<EngineResult> {
  const { width, height } = image;
  if (matte.width !== width || matte.height !== height) {
    throw new Error(`matte is ${matte.width}x${matte.height}, image ${width}x${height}`);
  }
  const alpha = Buffer.from(matte.data.buffer, matte.data.byteOffset, matte.data.byteLength);
  if (options.onlyMask) {
    // Without b-w, sharp widens a one-channel raw input to sRGB on output.
    const png = await sharp(alpha, { raw: { width, height, channels: 1 }, limitInputPixels: MAX_INPUT_PIXELS })
      .toColourspace('b-w')
      .png(PNG_OPTIONS)
      .toBuffer();
    return { png, width, height };
  }
  let pipeline: Sharp = await withAlpha(image, alpha);
  if (options.bgColor) {
    assertBackgroundColour(options.bgColor);
    // flatten needs the RGBA image materialised first; otherwise it would act on the input before joinChannel.
    const rgba = await pipeline.raw().toBuffer();
    pipeline = sharp(rgba, { raw: { width, height, channels: 4 }, limitInputPixels: MAX_INPUT_PIXELS }).flatten({
      background: options.bgColor,
    });
  }
  return { png: await pipeline.png(PNG_OPTIONS).toBuffer(), width, height };
}

/** The photo's colour channels untouched, with `alpha` as the fourth channel. */
async function withAlpha(image: RawImage, alpha: Buffer): Promise<Sharp> {
  const { width, height } = image;
  let colour = image;
  if (image.channels === 4) {
    // removeAlpha acts at output time, after joinChannel, so the old alpha is dropped in a pass of its own.
    const data = await sharpFromRaw(image).removeAlpha().raw().toBuffer();
    colour = { data, width, height, channels: 3 };
  }
  return sharpFromRaw(colour).joinChannel(alpha, { raw: { width, height, channels: 1 } });
}
