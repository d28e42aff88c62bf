import { ApiError } from '../errors.js';
import type { Transform } from './geometry.js';
import type { PixelWork } from './worker-pool.js';
import { sharpFromRaw, type RawImage } from './raw-image.js';
import { uprightCrop } from './horizon.js';

/**
 * "Straighten the horizon": the tilt of the dominant near-horizontal line (horizon.ts), turned into a
 * rotate-and-crop transform; refused when no line is clear, so a picture is never turned by a guess.
 */

/** Search range either side of horizontal: tilts people ask to fix are small. */
const MAX_DEGREES = 15;
/** The line's edge pixels must cover this share of the width ... */
const MIN_SUPPORT = 0.3;
/** ... and clearly beat any line at another angle. */
const MIN_LEAD = 1.25;
/** Below this the picture is already level. */
const LEVEL_DEGREES = 0.15;

/**
 * The transform that levels `image`, or null when it is already level.
 * Throws ApiError UNSUPPORTED_INSTRUCTION when no clear near-horizontal line is found.
 *
 * @example const t = await straightenTransform(photo, { pool, signal }); if (t) photo = await apply(photo, t);
 */
export async function straightenTransform(image: RawImage, work: PixelWork): Promise<Transform | null> {
  const scale = Math.min(1, 600 / image.width);
  const width = Math.max(16, Math.round(image.width * scale));
  const height = Math.max(16, Math.round(image.height * scale));
  const grey = await sharpFromRaw(image).resize(width, height, { fit: 'fill' }).greyscale().raw().toBuffer();
  const line = await work.pool.run(
    'findHorizon',
    { grey: new Uint8Array(grey), width, height, maxDegrees: MAX_DEGREES },
    { signal: work.signal },
  );
  if (!line || line.support < MIN_SUPPORT || line.support < MIN_LEAD * line.rivalSupport) {
    throw new ApiError(
      'UNSUPPORTED_INSTRUCTION',
      'Cannot straighten this picture: no clear horizon or near-horizontal line was found (within 15 degrees of level), ' +
        'so there is nothing to level it by.',
      { body: { refusal: 'unsupported', clause: 'straighten' } },
    );
  }
  if (Math.abs(line.degrees) < LEVEL_DEGREES) return null;
  // The line falls to the right by `degrees` clockwise; turning the picture back by as much levels it.
  const degrees = -line.degrees;
  return { kind: 'tilt', degrees, rect: uprightCrop(image.width, image.height, degrees) };
}
