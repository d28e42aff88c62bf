import sharp, { type Sharp } from 'sharp';
import { MAX_INPUT_PIXELS, sharpFromRaw, type RawImage } from './raw-image.js';
import { boundsOf, erodeWeights, minWeights } from './worker-ops.js';
import type { PixelWork } from './worker-pool.js';

/**
 * Masks and mattes as one-byte-per-pixel planes (255 = fully edited / subject), and the two conventions in
 * which clients send masks:
 * - `alpha` (OpenAI's): an image with transparency; edit where it is transparent.
 * - `luma` (Stability's and IOPaint's): an opaque image; edit where it is white, grey meaning partial strength.
 */

/** One byte per pixel, row-major. Structurally the same as the segmenter's AlphaMatte. */
export interface Plane {
  data: Uint8Array;
  width: number;
  height: number;
}

export type MaskConvention = 'alpha' | 'luma';

/** A sharp pipeline reading a plane. Planes are written back out with `planeOut`, which keeps one channel. */
export function sharpFromPlane(plane: Plane): Sharp {
  const data = Buffer.from(plane.data.buffer, plane.data.byteOffset, plane.data.byteLength);
  return sharp(data, {
    raw: { width: plane.width, height: plane.height, channels: 1 },
    limitInputPixels: MAX_INPUT_PIXELS,
  });
}

/** Runs a one-channel pipeline to a plane (sharp would otherwise widen grey output to three channels). */
export async function planeOut(pipeline: Sharp): Promise<Plane> {
  const { data, info } = await pipeline.toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 1) throw new Error(`expected a one-channel plane, got ${info.channels} channels`);
  return { data, width: info.width, height: info.height };
}

/**
 * The edit weight a mask layer stands for, resized to `width` x `height` when it has another size.
 *
 * @example
 * const weight = await maskFromLayer(layer, 'alpha', base.width, base.height); // 255 where layer is transparent
 */
export async function maskFromLayer(layer: RawImage, convention: MaskConvention, width: number, height: number): Promise<Plane> {
  let pipeline: Sharp;
  if (convention === 'alpha') {
    if (layer.channels !== 4) throw new Error('an alpha-convention mask needs an alpha channel');
    pipeline = sharpFromPlane(await planeOut(sharpFromRaw(layer).extractChannel(3))).negate();
  } else {
    pipeline = sharpFromPlane(await planeOut(sharpFromRaw(layer).removeAlpha().greyscale()));
  }
  const plane = await planeOut(pipeline);
  return resizePlane(plane, width, height);
}

/** Stretches a plane to exactly `width` x `height` (masks are drawn over the whole base, whatever their size). */
async function resizePlane(plane: Plane, width: number, height: number): Promise<Plane> {
  if (plane.width === width && plane.height === height) return plane;
  return planeOut(sharpFromPlane(plane).resize(width, height, { fit: 'fill', kernel: 'linear' }));
}

/** 255 - weight: the background is where the subject matte is not. */
export async function invertPlane(plane: Plane): Promise<Plane> {
  return planeOut(sharpFromPlane(plane).negate());
}

/**
 * Grows the white region of a binary (0/255) plane by `radius` pixels. sharp names its morphology after
 * dark objects on a light ground, so for white-on-black planes its `erode` is what grows; and it is binary
 * morphology (grey planes need grey-morphology.ts).
 */
export async function growPlane(plane: Plane, radius: number): Promise<Plane> {
  if (radius < 1) return plane;
  return planeOut(sharpFromPlane(plane).erode(Math.round(radius)));
}

/** Sets every value above `threshold` to 255 and the rest to 0. */
export async function thresholdPlane(plane: Plane, threshold: number): Promise<Plane> {
  return planeOut(sharpFromPlane(plane).threshold(threshold + 1, { grayscale: true }));
}

/**
 * Softens a mask's edges inward only: erode, blur, then clamp under the original. Where the mask was 0 it
 * stays exactly 0, so pixels outside the region are never touched; where it was grey (partial strength)
 * it never gets stronger. Only the mask's bounding box is processed, so a small mask on a large picture
 * costs little.
 *
 * @example const soft = await featherInward(mask, 3, { pool, signal });
 */
export async function featherInward(plane: Plane, radius: number, work: PixelWork): Promise<Plane> {
  const r = Math.round(radius);
  if (r < 1) return plane;
  const box = await boundsOf(plane, 0, work);
  if (!box) return plane;
  const margin = 2 * r;
  const left = Math.max(0, box.left - margin);
  const top = Math.max(0, box.top - margin);
  const area = {
    left,
    top,
    width: Math.min(plane.width, box.right + margin) - left,
    height: Math.min(plane.height, box.bottom + margin) - top,
  };
  const part = await planeOut(sharpFromPlane(plane).extract(area));
  // Grey-level erosion: masks may be soft (partial strength, or a matte), which libvips' binary
  // morphology would turn into contour lines.
  const eroded = { ...part, data: await erodeWeights(part, r, work) };
  const blurred = await planeOut(sharpFromPlane(eroded).blur(Math.max(0.3, r / 2)));
  const soft = await minWeights(blurred.data, part.data, work);
  // Outside the box the mask is all zeros, and so is its feathered version.
  const out = new Uint8Array(plane.width * plane.height);
  for (let y = 0; y < area.height; y++) {
    out.set(soft.subarray(y * area.width, (y + 1) * area.width), (area.top + y) * plane.width + area.left);
  }
  return { ...plane, data: out };
}

/** A feather radius that scales with the picture: about 0.3% of the shorter side, at least one pixel. */
export function featherRadius(width: number, height: number): number {
  return Math.max(1, Math.round(Math.min(width, height) * 0.003));
}

/** A plane of one value everywhere. */
export function constantPlane(width: number, height: number, value: number): Plane {
  return { data: new Uint8Array(width * height).fill(value), width, height };
}
