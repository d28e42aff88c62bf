import type { Sharp } from 'sharp';
import type { Resolution } from '../config/model-traits.js';
import { ApiError } from '../errors.js';
import { PNG_OPTIONS } from '../imaging/raw-image.js';

/**
 * How an answer is written out: the format Venice's rules choose, the encoder settings, and the rule
 * for transparency. Settings were measured in bench/encoding (bench/encoding/NOTES.md#png-jpeg-and-webp-answers).
 */
export type OutputFormat = 'png' | 'jpeg' | 'webp';

export const CONTENT_TYPES: Record<OutputFormat, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
};

/** JPEG and WebP at quality 90: visually transparent for photos, a fraction of PNG's size. */
export const JPEG_QUALITY = 90;
export const WEBP_QUALITY = 90;
/** libwebp effort 2 of 6: about 40% faster than the default 4 for files about 2% larger (bench/encoding/NOTES.md#png-jpeg-and-webp-answers). */
export const WEBP_EFFORT = 2;

/**
 * The format of an answer: the one asked for, else Venice's default (PNG at 1K, JPEG at 2K and 4K). An
 * answer that keeps the input's size (a local engine with no tier) is PNG, as it always was here.
 *
 * @example chooseFormat(undefined, '2K') // 'jpeg'
 */
export function chooseFormat(requested: OutputFormat | undefined, tier: Resolution | undefined): OutputFormat {
  if (requested) return requested;
  return tier === '2K' || tier === '4K' ? 'jpeg' : 'png';
}

/**
 * Encodes the pipeline. A picture with real transparency cannot be a JPEG: when the client asked for
 * JPEG that is a 400 (the reservation is released, nothing is charged); when JPEG was only the default,
 * the answer stays PNG so that the cutout is not lost.
 */
export async function encode(
  pipeline: Sharp,
  format: OutputFormat,
  explicit: boolean,
  /** 0-100 for JPEG and WebP (OpenAI's output_compression); the default is the quality above. */
  compression?: number,
  /** An XMP packet to write with the picture (the provenance's digital source type). */
  xmp?: string,
): Promise<{ body: Buffer; format: OutputFormat; width: number; height: number }> {
  let chosen = format;
  if (format === 'jpeg' && (await hasRealAlpha(pipeline))) {
    if (explicit) {
      throw new ApiError(
        'INVALID_PARAMETERS',
        'The result has transparency, which JPEG cannot hold; ask for output_format png or webp (or a bg_color)',
      );
    }
    chosen = 'png';
  }
  // Nothing of the input's metadata is kept (sharp writes none unless asked); only this packet is added.
  const tagged = xmp ? pipeline.withXmp(xmp) : pipeline;
  const encoder =
    chosen === 'png'
      ? tagged.png(PNG_OPTIONS)
      : chosen === 'jpeg'
        ? tagged.jpeg({ quality: clampQuality(compression ?? JPEG_QUALITY), chromaSubsampling: '4:2:0' })
        : tagged.webp({ quality: clampQuality(compression ?? WEBP_QUALITY), alphaQuality: 100, effort: WEBP_EFFORT });
  const { data, info } = await encoder.toBuffer({ resolveWithObject: true });
  return { body: data, format: chosen, width: info.width, height: info.height };
}

/** sharp takes 1-100; OpenAI's 0 means the smallest file. */
function clampQuality(value: number): number {
  return Math.min(100, Math.max(1, Math.round(value)));
}

/** Whether any pixel is less than opaque (an RGBA image whose alpha is all 255 is opaque). */
async function hasRealAlpha(pipeline: Sharp): Promise<boolean> {
  const probe = pipeline.clone();
  const meta = await probe.metadata();
  // A raw-pixel pipeline reports its input channels; 2 and 4 carry alpha.
  if (!(meta.hasAlpha || meta.channels === 4 || meta.channels === 2)) return false;
  const stats = await pipeline.clone().stats();
  const alpha = stats.channels[stats.channels.length - 1];
  return alpha !== undefined && alpha.min < 255;
}
