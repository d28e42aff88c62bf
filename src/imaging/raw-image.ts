import sharp, { type PngOptions, type Sharp } from 'sharp';

/**
 * A decoded image: 8-bit interleaved pixels, EXIF orientation already applied.
 * This is what the input stage hands to every engine, so that an image is decoded exactly once per request.
 * `channels` is 3 (RGB) or 4 (RGBA); greyscale inputs are expanded to RGB on decode.
 */
export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 3 | 4;
}

/** The largest image the API accepts, in pixels (Venice's documented limit). */
export const MAX_INPUT_PIXELS = 33_177_600;
/** The smallest image the API accepts, in pixels. */
export const MIN_INPUT_PIXELS = 65_536;

/** A sharp pipeline reading a RawImage, with the same pixel guard as every other sharp call here. */
export function sharpFromRaw(image: RawImage): Sharp {
  return sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: image.channels },
    limitInputPixels: MAX_INPUT_PIXELS,
  });
}

/**
 * PNG settings chosen by measurement (bench/edit/NOTES.md#png-encoder-settings): zlib level 3 with adaptive filtering gives
 * files close to level 6's size in clearly less time; palette mode is never used because it is several
 * times slower.
 */
export const PNG_OPTIONS: PngOptions = { compressionLevel: 3, adaptiveFiltering: true, palette: false };

/** Encodes a RawImage as PNG with the project's PNG settings. */
export async function encodePng(image: RawImage): Promise<Buffer> {
  return sharpFromRaw(image).png(PNG_OPTIONS).toBuffer();
}
