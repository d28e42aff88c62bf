import sharp from 'sharp';
import type { EngineResult } from '../engines/engine.js';
import { ApiError } from '../errors.js';
import { MAX_INPUT_PIXELS, sharpFromRaw, type RawImage } from '../imaging/raw-image.js';
import type { Sharp } from 'sharp';
import type { JobProvenance } from '../provenance/provenance-service.js';
import type { ProvenanceAction } from '../provenance/source-types.js';
import { CONTENT_TYPES, encode, type OutputFormat } from './output-encoding.js';

/**
 * The finishing step of the request path, after any engine: what does not depend on the engine that made
 * the picture. Background removal's `only_mask` (the alpha as a grey image) and `bg_color` (the cutout on
 * a colour) are derived here from whatever RGBA cutout the engine answered, local or remote; then safe
 * mode's screen (blurring what the classifier flags), the resolution tier (the longer side fitted to
 * it, never enlarged here: enlarging is the super-resolution engine's), the encoding in the format
 * asked for (src/jobs/output-encoding.ts), and last the provenance: XMP written with the picture, then the
 * signed C2PA manifest of everything done, the engine's work and these steps (src/provenance).
 */
export interface FinishOptions {
  /** Return the alpha matte as a one-channel greyscale image. */
  onlyMask?: boolean;
  /** Composite onto this colour (CSS hex or name) instead of keeping transparency. */
  bgColor?: string;
  /** The format to write (default PNG). */
  format?: OutputFormat;
  /** Whether the client named the format (then JPEG with transparency is a 400 rather than a PNG). */
  formatExplicit?: boolean;
  /** Shrink so that the longer side is at most this many pixels (a resolution tier). */
  maxLongSide?: number;
  /** Safe mode on a generative model: resolves true when the picture must be blurred. */
  screen?: (image: RawImage) => Promise<boolean>;
  /**
   * OpenAI's `size`: the answer is exactly this size, cropped to its ratio and resized; enlarged with
   * Lanczos when the picture is smaller, or by `enlarge` when the caller gives one.
   */
  exactSize?: { width: number; height: number };
  /** Enlarges a picture by at least `factor` (the super-resolution networks); the resize to the size follows. */
  enlarge?: (image: RawImage, factor: number) => Promise<RawImage>;
  /** OpenAI's `output_compression` (0-100) for JPEG and WebP. */
  compression?: number;
  /** OpenAI's `background: "transparent"`: the background-removal model cuts the result out. */
  cutOut?: (image: RawImage) => Promise<RawImage>;
  /** What the answer records of how it was made; `engineActions` is what the engine did. */
  provenance?: { job: JobProvenance; engineActions: ProvenanceAction[] };
}

export interface FinishedImage {
  body: Buffer;
  contentType: string;
  width: number;
  height: number;
  /** Whether safe mode blurred the picture (`x-venice-is-blurred`). */
  blurred: boolean;
  /** How `exactSize` enlarged a smaller picture, if it did: `lanczos3` or `super-resolution`. */
  enlargedWith?: Enlargement;
  /** What provenance the answer carries (`x-retouch-provenance`), when any. */
  provenance?: string;
}

export type Enlargement = 'lanczos3' | 'super-resolution';

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
    new ApiError(
      'INVALID_PARAMETERS',
      `Expected '#rrggbb', '#rgb' or a CSS colour name for bg_color but received '${colour.slice(0, 32)}'`,
    );
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
  const done: ProvenanceAction[] = [...(options.provenance?.engineActions ?? [])];
  const record = (action: ProvenanceAction['action'], description: string) =>
    done.push({ action, description, sourceType: 'algorithmicallyEnhanced' });
  if (options.onlyMask || options.bgColor) {
    // Both read the engine's alpha, so the picture is written out once first (a pipeline may still hold
    // operations that sharp would otherwise order after these).
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    const raw = { raw: { width: info.width, height: info.height, channels: info.channels }, limitInputPixels: MAX_INPUT_PIXELS };
    if (options.onlyMask) {
      // An engine that answered without alpha (an opaque remote result) gives its luminance as the mask.
      pipeline = (info.channels === 4 ? sharp(data, raw).extractChannel(3) : sharp(data, raw).greyscale()).toColourspace('b-w');
      record('c2pa.edited', 'The transparency mask written out as a greyscale picture (only_mask)');
    } else {
      pipeline = sharp(data, raw).flatten({ background: options.bgColor });
      record('c2pa.edited', `Placed on a solid ${options.bgColor} background (bg_color)`);
    }
  }
  const format = options.format ?? 'png';
  let blurred = false;
  let enlargedWith: Enlargement | undefined;
  // A PNG at the engine's size goes straight from the engine's pipeline to the encoder (one pass);
  // anything else needs the pixels first.
  if (options.screen || options.maxLongSide || options.exactSize || options.cutOut || format !== 'png') {
    let image = await toRaw(pipeline);
    if (options.cutOut) {
      image = await options.cutOut(image);
      record('c2pa.edited', 'Background made transparent by the background removal model');
    }
    if (options.screen && (await options.screen(image))) {
      image = await blurHard(image);
      blurred = true;
      record('c2pa.filtered', 'Blurred by safe mode: a classifier flagged the picture as explicit');
    }
    if (options.maxLongSide && Math.max(image.width, image.height) > options.maxLongSide) {
      image = await toRaw(
        sharpFromRaw(image).resize(options.maxLongSide, options.maxLongSide, { fit: 'inside', kernel: 'lanczos3' }),
      );
      record('c2pa.resized', `Reduced to the resolution tier (longer side ${options.maxLongSide} pixels)`);
    }
    if (options.exactSize) {
      const { width, height } = options.exactSize;
      const resized = image.width !== width || image.height !== height;
      // OpenAI answers at the size asked, however small the input: a cover resize by this factor.
      const factor = Math.max(width / image.width, height / image.height);
      if (factor > 1) {
        enlargedWith = options.enlarge ? 'super-resolution' : 'lanczos3';
        if (options.enlarge) image = await options.enlarge(image, factor);
      }
      image = await toRaw(sharpFromRaw(image).resize(width, height, { fit: 'cover', kernel: 'lanczos3' }));
      if (resized) record('c2pa.resized', `Resized and centre-cropped to ${width}x${height} (size)`);
    }
    pipeline = sharpFromRaw(image);
  }
  const provenance = options.provenance?.job;
  const xmp = provenance?.xmp(done);
  const encoded = await encode(pipeline, format, options.formatExplicit ?? false, options.compression, xmp);
  return {
    // Signed last: the manifest's hash covers every byte of the encoded picture, XMP included.
    body: provenance ? await provenance.stamp(encoded.body, encoded.format, done) : encoded.body,
    contentType: CONTENT_TYPES[encoded.format],
    width: encoded.width,
    height: encoded.height,
    blurred,
    ...(enlargedWith ? { enlargedWith } : {}),
    ...(provenance ? { provenance: provenance.attached } : {}),
  };
}

async function toRaw(pipeline: Sharp): Promise<RawImage> {
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  if (info.channels === 3 || info.channels === 4)
    return { data, width: info.width, height: info.height, channels: info.channels };
  // Greyscale (only_mask) or grey+alpha: spread to RGB(A) so every later step sees 3 or 4 channels.
  const spread = await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: spread.data, width: info.width, height: info.height, channels: spread.info.channels as 3 | 4 };
}

/** Safe mode's blur: strong enough that nothing explicit stays recognisable (sigma 4% of the longer side). */
async function blurHard(image: RawImage): Promise<RawImage> {
  const sigma = Math.max(8, Math.max(image.width, image.height) / 25);
  return toRaw(sharpFromRaw(image).blur(sigma));
}
