import type { Rgb } from './colors.js';
import type { BlendRect } from './blend.js';
import type { LayerStats, PlaneBounds } from './pixel-stats.js';
import type { RawImage } from './raw-image.js';
import type { ColourAdjust } from './colour-adjust.js';
import type { RecolourOp, RecolourStats } from './recolour.js';
import type { PixelWork } from './worker-pool.js';
import type { Look } from './looks/look-kernel.js';
import type { FillCheck } from './fill-check.js';

/**
 * The main-thread side of local edit's typed-array work: each call sends its buffers to the imaging worker
 * pool it is given and awaits the result, so a 30-megapixel blend never stalls the event loop. Inputs are
 * copied to the worker (callers keep using them); results are moved back.
 */

function asBuffer(data: Uint8Array): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Mixes `source` (an image of `rect`'s size, or a flat colour) into `image` by `weight` (one byte per
 * pixel of `rect`); pixels of weight 0 stay bit-identical. See blend.ts for the exact rule.
 *
 * @example const redacted = await blendWeighted(photo, { color: [0, 0, 0] }, mask.data, undefined, { pool, signal });
 */
export async function blendWeighted(
  image: RawImage,
  source: RawImage | { color: Rgb },
  weight: Uint8Array,
  rect: BlendRect | undefined,
  work: PixelWork,
): Promise<RawImage> {
  const { data } = await work.pool.run(
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
    { signal: work.signal },
  );
  return { ...image, data: asBuffer(data) };
}

/** Maps the colour channels of `image` through a 256-entry table (posterize and the like). */
export async function applyChannelLut(image: RawImage, lut: Uint8Array, work: PixelWork): Promise<RawImage> {
  const { data } = await work.pool.run(
    'channelLut',
    { data: image.data, channels: image.channels, lut },
    { signal: work.signal },
  );
  return { ...image, data: asBuffer(data) };
}

/** Grey-level erosion of a plane by a (2r+1)-square (see grey-morphology.ts). */
export async function erodeWeights(
  plane: { data: Uint8Array; width: number; height: number },
  radius: number,
  work: PixelWork,
): Promise<Uint8Array> {
  const { data, width, height } = plane;
  return (await work.pool.run('erodeGrey', { data, width, height, radius }, { signal: work.signal })).data;
}

export async function minWeights(a: Uint8Array, b: Uint8Array, work: PixelWork): Promise<Uint8Array> {
  return (await work.pool.run('minWeights', { a, b }, { signal: work.signal })).data;
}

export async function multiplyWeights(a: Uint8Array, b: Uint8Array, work: PixelWork): Promise<Uint8Array> {
  return (await work.pool.run('multiplyWeights', { a, b }, { signal: work.signal })).data;
}

/** The bounding box and weighted centre of the values of `plane` above `threshold`; null if there are none. */
export function boundsOf(
  plane: { data: Uint8Array; width: number; height: number },
  threshold: number,
  work: PixelWork,
): Promise<PlaneBounds | null> {
  const { data, width, height } = plane;
  return work.pool.run('planeBounds', { data, width, height, threshold }, { signal: work.signal });
}

/** The median colour of `image` where `ring` is set and `hole` is not. */
export function surroundingColor(image: RawImage, hole: Uint8Array, ring: Uint8Array, work: PixelWork): Promise<Rgb | null> {
  return work.pool.run('ringColor', { data: image.data, channels: image.channels, hole, ring }, { signal: work.signal });
}

/** Statistics that tell masks from overlays; `base` must already have the layer's size. */
export function measureLayer(layer: RawImage, base: RawImage | null, work: PixelWork): Promise<LayerStats> {
  return work.pool.run(
    'layerStats',
    { data: layer.data, channels: layer.channels, base: base && { data: base.data, channels: base.channels } },
    { signal: work.signal },
  );
}

/** A hue-keeping colour adjustment (see colour-adjust.ts), in the imaging workers. */
export async function adjustColour(image: RawImage, op: ColourAdjust, work: PixelWork): Promise<RawImage> {
  const { data } = await work.pool.run(
    'colourAdjust',
    { data: image.data, channels: image.channels, op },
    { signal: work.signal },
  );
  return { ...image, data: asBuffer(data) };
}

/** Edge-preserving skin smoothing (see skin-smooth.ts); `radius` in pixels. */
export async function smoothSkinPixels(image: RawImage, radius: number, amount: number, work: PixelWork): Promise<RawImage> {
  const { width, height, channels } = image;
  const { data } = await work.pool.run(
    'smoothSkin',
    { data: image.data, width, height, channels, radius, amount },
    { signal: work.signal },
  );
  return { ...image, data: asBuffer(data) };
}

/** A colour change that keeps shading, mixed in by `weight` (see recolour.ts), with the measures its step checks. */
export async function recolourPixels(
  image: RawImage,
  weight: Uint8Array,
  op: RecolourOp,
  work: PixelWork,
): Promise<{ image: RawImage; stats: RecolourStats }> {
  const { data, stats } = await work.pool.run(
    'recolour',
    { data: image.data, channels: image.channels, weight, op },
    { signal: work.signal },
  );
  return { image: { ...image, data: asBuffer(data) }, stats };
}

/** One of the classical looks (see looks/look-kernel.ts) on an RGB image, in the imaging workers. */
export async function applyLook(image: RawImage, look: Look, work: PixelWork): Promise<RawImage> {
  const { width, height, channels } = image;
  const { data } = await work.pool.run('look', { data: image.data, width, height, channels, look }, { signal: work.signal });
  return { data: asBuffer(data), width, height, channels: 3 };
}

/** Measures a fill against the ring of untouched pixels around it (see fill-check.ts). */
export function measureFill(image: RawImage, hole: Uint8Array, ring: Uint8Array, work: PixelWork): Promise<FillCheck> {
  const { data, width, height, channels } = image;
  return work.pool.run('fillCheck', { data, width, height, channels, hole, ring }, { signal: work.signal });
}

/** The dominant surface around `hole` with its lighting, as an RGB image to blend into the hole (surface-fill.ts). */
export async function surfaceAround(
  image: RawImage,
  hole: Uint8Array,
  ring: Uint8Array,
  work: PixelWork,
  readInside = false,
): Promise<RawImage | null> {
  const { data, width, height, channels } = image;
  const payload = { data, width, height, channels, hole, ring, readInside };
  const result = await work.pool.run('surfaceFill', payload, { signal: work.signal });
  return result && { data: asBuffer(result.data), width, height, channels: 3 };
}
