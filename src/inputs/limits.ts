import { ApiError } from '../errors.js';
import { MAX_INPUT_PIXELS, MIN_INPUT_PIXELS } from '../imaging/raw-image.js';

/**
 * The size rules every input image obeys, whichever way it arrived (base64, upload or URL):
 * fewer than `maxBytes` bytes, and between MIN_INPUT_PIXELS and MAX_INPUT_PIXELS pixels.
 */

/** Refuses an image of `byteLength` bytes unless it is under the limit (Venice: "under 25MB"). */
export function assertUnderByteLimit(byteLength: number, maxBytes: number, field: string): void {
  if (byteLength >= maxBytes) throw tooLarge(field, maxBytes);
}

export function tooLarge(field: string, maxBytes: number): ApiError {
  return new ApiError('PAYLOAD_TOO_LARGE', `${field} is too large: each image must be under ${formatBytes(maxBytes)}`, {
    body: { code: 'PAYLOAD_TOO_LARGE' },
  });
}

/**
 * Refuses dimensions outside the pixel limits, with a message that gives the actual size and the limits.
 *
 * @example assertPixelLimits(1, 1, 'image') // throws "image is 1x1 (1 pixel); each image must have ..."
 */
export function assertPixelLimits(width: number, height: number, field: string): void {
  if (!Number.isSafeInteger(width) || !Number.isSafeInteger(height) || width < 1 || height < 1) {
    throw new ApiError('INVALID_IMAGE', `${field} has no valid dimensions`);
  }
  const pixels = width * height;
  if (pixels < MIN_INPUT_PIXELS || pixels > MAX_INPUT_PIXELS) {
    const count = `${pixels.toLocaleString('en-US')} pixel${pixels === 1 ? '' : 's'}`;
    throw new ApiError(
      'INVALID_IMAGE',
      `${field} is ${width}x${height} (${count}); each image must have between ` +
        `${MIN_INPUT_PIXELS.toLocaleString('en-US')} and ${MAX_INPUT_PIXELS.toLocaleString('en-US')} pixels`,
    );
  }
}

/** "25 MB", "512 KB", "900 bytes": binary units, as the limit is configured in bytes. */
function formatBytes(bytes: number): string {
  const units: Array<[string, number]> = [
    ['MB', 1024 * 1024],
    ['KB', 1024],
  ];
  for (const [unit, size] of units) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  }
  return `${bytes} bytes`;
}
