import sharp from 'sharp';
import type { PixelWork } from '../../imaging/worker-pool.js';
import { forcedConvention, inspectLayer } from '../../imaging/layers.js';
import { featherInward, maskFromLayer, type MaskConvention } from '../../imaging/masks.js';
import { MAX_INPUT_PIXELS, type RawImage } from '../../imaging/raw-image.js';

/**
 * Which multi-edit layers are masks, and what they say, for the generative backends. The rules are
 * local-edit's own (src/imaging/layers.ts, documented in docs/local-edit.md), so a layer means the same
 * whichever model serves the request: transparency over a plain or base-copy layer is OpenAI's convention
 * (edit where transparent); an opaque, colourless, nearly two-tone layer is Stability's and IOPaint's
 * (edit where white, grey = partial). `layer_roles` overrides the classification.
 */
export type WantedRole = 'mask' | 'overlay' | 'background' | 'auto';

/**
 * The mask convention `layer` is read with, or null when it is a picture (a reference or overlay).
 *
 * @example const convention = await maskConvention(images[1], images[0], 'auto', signal); // 'luma' | 'alpha' | null
 */
export async function maskConvention(
  layer: RawImage,
  base: RawImage,
  wanted: WantedRole,
  work: PixelWork,
): Promise<MaskConvention | null> {
  if (wanted === 'overlay' || wanted === 'background') return null;
  // A layer without an alpha channel can only be read by its luma; no need to measure it.
  if (wanted === 'mask' && layer.channels === 3) return 'luma';
  const traits = await inspectLayer(layer, base, work);
  return wanted === 'mask' ? forcedConvention(traits) : traits.maskConvention;
}

/**
 * The edit strength of every pixel of a `width` x `height` frame: 0 keeps the original exactly, 255 takes
 * the model's output. A mask of another size is stretched over the frame; edges are feathered inward
 * only, over `featherPx` pixels, so no pixel outside the mask ever gets a weight.
 */
export async function editWeights(
  mask: RawImage,
  convention: MaskConvention,
  width: number,
  height: number,
  featherPx: number,
  work: PixelWork,
): Promise<Uint8Array> {
  const plane = await maskFromLayer(mask, convention, width, height);
  return (await featherInward(plane, featherPx, work)).data;
}

/** The weights of several masks together: a pixel is edited as strongly as the strongest mask says. */
export function unionWeights(masks: Uint8Array[]): Uint8Array | undefined {
  if (masks.length === 0) return undefined;
  const out = new Uint8Array(masks[0]);
  for (const mask of masks.slice(1)) for (let i = 0; i < out.length; i++) if (mask[i] > out[i]) out[i] = mask[i];
  return out;
}

/**
 * A mask in OpenAI's convention for `/v1/images/edits`: the image itself with alpha 0 where it is to be
 * edited, at the size the image is sent at.
 */
export async function transparencyMaskPng(frame: RawImage, weights: Uint8Array, width: number, height: number): Promise<Buffer> {
  const rgba = Buffer.alloc(frame.width * frame.height * 4);
  for (let i = 0, n = frame.width * frame.height; i < n; i++) {
    for (let c = 0; c < 3; c++) rgba[i * 4 + c] = frame.data[i * frame.channels + c];
    rgba[i * 4 + 3] = weights[i] >= 128 ? 0 : 255;
  }
  return sharp(rgba, { raw: { width: frame.width, height: frame.height, channels: 4 }, limitInputPixels: MAX_INPUT_PIXELS })
    .resize(width, height, { fit: 'fill', kernel: 'nearest' })
    .png()
    .toBuffer();
}
