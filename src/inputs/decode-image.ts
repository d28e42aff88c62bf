import sharp, { type Metadata } from 'sharp';
import { ApiError } from '../errors.js';
import { MAX_INPUT_PIXELS, type RawImage } from '../imaging/raw-image.js';
import { assertPixelLimits } from './limits.js';
import { ACCEPTED_FORMATS_TEXT, sniffFormat, type RasterFormat } from './sniff-format.js';

/** What sharp's metadata() must report for each sniffed format; AVIF is libheif with the AV1 codec. */
const EXPECTED: Record<RasterFormat, { format: string; compression?: string }> = {
  jpeg: { format: 'jpeg' },
  png: { format: 'png' },
  webp: { format: 'webp' },
  gif: { format: 'gif' },
  tiff: { format: 'tiff' },
  avif: { format: 'heif', compression: 'av1' },
};

/**
 * Turns the bytes of one client image into a RawImage, refusing anything unsafe or out of bounds:
 * 1. the format is sniffed from the content, and only raster formats reach sharp at all;
 * 2. the header alone is read (no pixel memory) and the oriented size checked against the pixel limits,
 *    so a decompression bomb is refused before it can allocate;
 * 3. the pixels are decoded with sharp's own pixel cap and `failOn: 'warning'` (a truncated or corrupt
 *    file fails instead of decoding half-grey), EXIF orientation applied, as 8-bit sRGB, keeping alpha
 *    only when the image has it. Multi-frame GIF, WebP and TIFF yield their first frame.
 *    (GIF: libvips always adds alpha, so it is dropped again when every pixel is opaque.)
 * Every failure is a 400 naming `field`; sharp's own messages are kept out of the response.
 *
 * @example const photo = await decodeImage(await readFile('cat.jpg'), 'image'); // { width, height, channels: 3, data }
 */
export async function decodeImage(bytes: Buffer, field: string): Promise<RawImage> {
  return decodeInspected(await inspectImage(bytes, field));
}

/** Client image bytes whose format and size were checked from the header; no pixel is decoded yet. */
export interface InspectedImage {
  bytes: Buffer;
  field: string;
  format: RasterFormat;
  /** Size after EXIF orientation, within the pixel limits. */
  width: number;
  height: number;
}

/**
 * Steps 1 and 2 of decodeImage: what a request can learn about an image without allocating its pixels.
 * The gateway does this before admitting a request and decodes only once an engine slot is free, so a
 * queue full of 33-megapixel JPEGs holds their bytes, not 100 MB of pixels each.
 */
export async function inspectImage(bytes: Buffer, field: string): Promise<InspectedImage> {
  if (bytes.length === 0) throw new ApiError('INVALID_IMAGE', `${field} is empty`);
  const sniffed = sniffFormat(bytes);
  if (sniffed.kind === 'refused') {
    throw new ApiError('INVALID_IMAGE', `${field} is ${sniffed.name}; only ${ACCEPTED_FORMATS_TEXT} images are accepted`);
  }
  if (sniffed.kind === 'unknown') {
    throw new ApiError('INVALID_IMAGE', `${field} is not a recognised image; expected ${ACCEPTED_FORMATS_TEXT}`);
  }

  const header = await readHeader(bytes, field);
  const expected = EXPECTED[sniffed.format];
  if (header.format !== expected.format || (expected.compression && header.compression !== expected.compression)) {
    throw new ApiError('INVALID_IMAGE', `${field} is not a recognised image; expected ${ACCEPTED_FORMATS_TEXT}`);
  }
  // autoOrient holds the size after EXIF rotation; the pixel count is the same, but the message should
  // describe the image as the client sees it.
  const oriented = header.autoOrient ?? { width: header.width, height: header.height };
  assertPixelLimits(oriented.width, oriented.height, field);
  return { bytes, field, format: sniffed.format, width: oriented.width, height: oriented.height };
}

/** Step 3 of decodeImage: the pixels of an inspected image. */
export async function decodeInspected(image: InspectedImage): Promise<RawImage> {
  const decoded = await decodePixels(image.bytes, image.field);
  assertPixelLimits(decoded.width, decoded.height, image.field);
  // libvips always decodes GIF to RGBA; an opaque GIF has no alpha channel worth carrying.
  return image.format === 'gif' ? dropOpaqueAlpha(decoded) : decoded;
}

/** The same image without its alpha channel when every pixel is fully opaque; otherwise unchanged. */
function dropOpaqueAlpha(image: RawImage): RawImage {
  if (image.channels !== 4) return image;
  const { data } = image;
  for (let i = 3; i < data.length; i += 4) if (data[i] !== 255) return image;
  const rgb = Buffer.allocUnsafe((data.length / 4) * 3);
  for (let i = 0, o = 0; i < data.length; i += 4, o += 3) {
    rgb[o] = data[i];
    rgb[o + 1] = data[i + 1];
    rgb[o + 2] = data[i + 2];
  }
  return { data: rgb, width: image.width, height: image.height, channels: 3 };
}

/** Header only: libvips parses the file's header and allocates no pixel memory, whatever size it claims. */
async function readHeader(bytes: Buffer, field: string): Promise<Metadata> {
  try {
    // No pixel cap here on purpose: the header of a 100000x100000 bomb must be read so that the error can
    // say how big it claims to be; the cap applies to the decode below.
    return await sharp(bytes, { limitInputPixels: false, failOn: 'warning' }).metadata();
  } catch (error) {
    throw new ApiError('INVALID_IMAGE', `${field} could not be read: the file is corrupt or truncated`, { cause: error });
  }
}

async function decodePixels(bytes: Buffer, field: string): Promise<RawImage> {
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'warning' })
      .autoOrient()
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3 && info.channels !== 4) {
      throw new Error(`unexpected channel count ${info.channels}`);
    }
    return { data, width: info.width, height: info.height, channels: info.channels };
  } catch (error) {
    throw new ApiError('INVALID_IMAGE', `${field} could not be decoded: the file is corrupt or truncated`, {
      cause: error,
    });
  }
}
