import type { Sharp } from 'sharp';
import { sharpFromRaw, type RawImage } from './raw-image.js';

/**
 * The result of an edit: either finished pixels, or a sharp pipeline still to be written out. Engines
 * hand back a pipeline when their last pass is a plain libvips one, so the request's finishing step can
 * pipe it straight into the encoder (one pass for "make it black and white") instead of writing the
 * pixels out first.
 */
export type Rendered = { kind: 'raw'; image: RawImage } | { kind: 'pipeline'; pipeline: Sharp };

/** One step of a tone edit: a libvips operation added to the pipeline, or a pass over raw pixels. */
export type Pass = { sharp: (s: Sharp) => Sharp } | { raw: (image: RawImage) => Promise<RawImage> };

/** Writes a rendered edit out as RGB or RGBA pixels (greyscale is spread back over three channels). */
export async function materialize(rendered: Rendered): Promise<RawImage> {
  if (rendered.kind === 'raw') return rendered.image;
  const { data, info } = await rendered.pipeline.raw().toBuffer({ resolveWithObject: true });
  if (info.channels === 3 || info.channels === 4) {
    return { data, width: info.width, height: info.height, channels: info.channels };
  }
  const spread = await sharpFromRaw({ data, width: info.width, height: info.height, channels: info.channels as 3 })
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: spread.data, width: info.width, height: info.height, channels: spread.info.channels as 3 | 4 };
}
