import type { Plane } from '../masks.js';
import type { RawImage } from '../raw-image.js';
import type { PixelWork } from '../worker-pool.js';
import type { SkyLook } from './sky-look.js';
import type { StuffKind } from './stuff-rules.js';

/**
 * The main-thread side of stuff finding and sky edits: each call runs in the imaging worker pool, so a
 * large photo never stalls the event loop (see worker-ops.ts for the same pattern).
 */

export type FoundStuff = { mask: Plane; share: number } | { mask: null; reason: string };

/**
 * @example const sky = await findStuffIn(photo, 'sky', { pool, signal }); if (!sky.mask) refuse(sky.reason);
 */
export async function findStuffIn(image: RawImage, kind: StuffKind, work: PixelWork): Promise<FoundStuff> {
  const { width, height, channels } = image;
  const result = await work.pool.run('findStuff', { data: image.data, width, height, channels, kind }, { signal: work.signal });
  if (!result.mask) return { mask: null, reason: result.reason };
  return { mask: { data: result.mask, width, height }, share: result.share };
}

/** The edited picture and how much of the sky's fine structure it kept (see sky-look.ts). */
export async function editSkyIn(
  image: RawImage,
  mask: Plane,
  look: SkyLook,
  work: PixelWork,
): Promise<{ image: RawImage; detailCorrelation: number; skyDetail: number }> {
  const { width, height, channels } = image;
  const result = await work.pool.run(
    'editSky',
    { data: image.data, width, height, channels, mask: mask.data, look },
    { signal: work.signal },
  );
  const data = Buffer.from(result.data.buffer, result.data.byteOffset, result.data.byteLength);
  return { image: { ...image, data }, detailCorrelation: result.detailCorrelation, skyDetail: result.skyDetail };
}
