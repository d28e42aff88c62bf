import type { Rgb } from './colors.js';
import type { BlendRect } from './blend.js';
import type { LayerStats, PlaneBounds } from './pixel-stats.js';
import type { RawImage } from './raw-image.js';
import type { ColourAdjust } from './colour-adjust.js';
import { getImagingPool } from './worker-pool.js';

/**
 * The main-thread side of local edit's typed-array work: each call sends its buffers to the shared imaging
 * worker pool and awaits the result, so a 30-megapixel blend never stalls the event loop. Inputs are
 * copied to the worker (callers keep using them); results are moved back.
 */

function asBuffer(data: Uint8Array): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Mixes `source` (an image of `rect`'s size, or a flat colour) into `image` by `weight` (one byte per
 * pixel of `rect`); pixels of weight 0 stay bit-identical. See blend.ts for the exact rule.
 *
 * @example const redacted = await blendWeighted(photo, { color: [0, 0, 0] }, mask.data);
 */
export async function blendWeighted(
  image: RawImage,
  source: RawImage | { color: Rgb },
  weight: Uint8Array,
  rect?: BlendRect,
  signal?: AbortSignal,
): Promise<RawImage> {
  const { data } = await getImagingPool().run(
    'blend',
    {
      base: image.data,
      baseWidth: image.width,
      baseHeight: image.height,
      baseChannels: image.channels,
      source: 'color' in source ? { color: source.color } : { data: source.data, channels: source.channels },
      weight,
      rect,
    },
    { signal },
  );
  return { ...image, data: asBuffer(data) };
}

/** Maps the colour channels of `image` through a 256-entry table (posterize and the like). */
export async function applyChannelLut(image: RawImage, lut: Uint8Array, signal?: AbortSignal): Promise<RawImage> {
  const { data } = await getImagingPool().run('channelLut', { data: image.data, channels: image.channels, lut }, { signal });
  return { ...image, data: asBuffer(data) };
}

export async function minWeights(a: Uint8Array, b: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
  return (await getImagingPool().run('minWeights', { a, b }, { signal })).data;
}

export async function multiplyWeights(a: Uint8Array, b: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
  return (await getImagingPool().run('multiplyWeights', { a, b }, { signal })).data;
}

/** The bounding box and weighted centre of the values of `plane` above `threshold`; null if there are none. */
export function boundsOf(
  plane: { data: Uint8Array; width: number; height: number },
  threshold = 127,
  signal?: AbortSignal,
): Promise<PlaneBounds | null> {
  const { data, width, height } = plane;
  return getImagingPool().run('planeBounds', { data, width, height, threshold }, { signal });
}

/** The median colour of `image` where `ring` is set and `hole` is not. */
export function surroundingColor(
  image: RawImage,
  hole: Uint8Array,
  ring: Uint8Array,
  signal?: AbortSignal,
): Promise<Rgb | null> {
  return getImagingPool().run('ringColor', { data: image.data, channels: image.channels, hole, ring }, { signal });
}

/** Statistics that tell masks from overlays; `base` must already have the layer's size. */
export function measureLayer(layer: RawImage, base: RawImage | null, signal?: AbortSignal): Promise<LayerStats> {
  return getImagingPool().run(
    'layerStats',
    { data: layer.data, channels: layer.channels, base: base && { data: base.data, channels: base.channels } },
    { signal },
  );
}

/** A hue-keeping colour adjustment (see colour-adjust.ts), in the imaging workers. */
export async function adjustColour(image: RawImage, op: ColourAdjust, signal?: AbortSignal): Promise<RawImage> {
  const { data } = await getImagingPool().run('colourAdjust', { data: image.data, channels: image.channels, op }, { signal });
  return { ...image, data: asBuffer(data) };
}

/** Edge-preserving skin smoothing (see skin-smooth.ts); `radius` in pixels. */
export async function smoothSkinPixels(image: RawImage, radius: number, amount: number, signal?: AbortSignal): Promise<RawImage> {
  const { width, height, channels } = image;
  const { data } = await getImagingPool().run('smoothSkin', { data: image.data, width, height, channels, radius, amount }, { signal });
  return { ...image, data: asBuffer(data) };
}
