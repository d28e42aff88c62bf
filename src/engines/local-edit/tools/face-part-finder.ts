import { ApiError } from '../../../errors.js';
import type { Plane } from '../../../imaging/masks.js';
import type { RawImage } from '../../../imaging/raw-image.js';
import type { Box, Detectors } from '../../../resources/detectors/detection.js';
import type { Segmenter } from '../../../resources/segmenter/segmenter.js';

/**
 * Parts of a face the face detector's box implies: the mouth (for "whiten the teeth"), the eyes (for "remove
 * the red eye") and the hair (for "make her hair darker"). BlazeFace gives a box from the brows to the chin;
 * the parts sit at fixed proportions of it in a frontal face, which is what this reads. The masks are loose
 * on purpose: the steps that use them change only pixels that look like teeth (light, dull) or a flashed
 * pupil (red), so a mouth box that includes lips, or an eye disc that includes skin, changes nothing there.
 * Hair is the segmenter's subject matte above and beside each face, without the face itself: it fails on
 * hair that is not part of the segmented subject, and counts a hat as hair.
 */

export type FacePart = 'teeth' | 'eyes' | 'hair';

const PART_WORDS: Array<[RegExp, FacePart]> = [
  [/\b(?:teeth|tooth|smile)\b/, 'teeth'],
  [/\b(?:eyes?|pupils?)\b/, 'eyes'],
  [/\bhair\b/, 'hair'],
];

/** "her teeth", "the red eyes", "his hair": the part named, or null. */
export function readFacePart(phrase: string): FacePart | null {
  for (const [pattern, part] of PART_WORDS) if (pattern.test(phrase)) return part;
  return null;
}

export async function findFacePart(
  image: RawImage,
  part: FacePart,
  detectors: Detectors,
  segmenter: () => Segmenter,
  signal: AbortSignal,
): Promise<{ mask: Plane; found: string }> {
  const faces = (await detectors.faces.detect(image, signal)).filter((f) => f.width > 24 && f.height > 24);
  if (faces.length === 0) {
    throw new ApiError(
      'UNSUPPORTED_INSTRUCTION',
      `Found no face in the picture to find the ${part} by (faces in profile or very small are missed); send a mask to mark the ${part}.`,
    );
  }
  const { width, height } = image;
  const data = new Uint8Array(width * height);
  for (const face of faces) {
    if (part === 'teeth')
      ellipse(
        data,
        width,
        height,
        face.left + 0.5 * face.width,
        face.top + 0.68 * face.height,
        0.22 * face.width,
        0.1 * face.height,
      );
    if (part === 'eyes') {
      for (const x of [0.31, 0.69])
        ellipse(
          data,
          width,
          height,
          face.left + x * face.width,
          face.top + 0.36 * face.height,
          0.11 * face.width,
          0.08 * face.height,
        );
    }
  }
  if (part === 'hair')
    return {
      mask: await hairMask(image, faces, segmenter(), signal),
      found: `hair (subject outline around ${faces.length} face${faces.length > 1 ? 's' : ''})`,
    };
  const what = part === 'teeth' ? 'mouth' : 'eyes';
  return {
    mask: { data, width, height },
    found: `${what} of ${faces.length} face${faces.length > 1 ? 's' : ''} (face detector)`,
  };
}

function ellipse(data: Uint8Array, width: number, height: number, cx: number, cy: number, rx: number, ry: number): void {
  for (let y = Math.max(0, Math.floor(cy - ry)); y < Math.min(height, Math.ceil(cy + ry)); y++) {
    const dy = (y + 0.5 - cy) / ry;
    const half = rx * Math.sqrt(Math.max(0, 1 - dy * dy));
    const x1 = Math.max(0, Math.round(cx - half));
    const x2 = Math.min(width, Math.round(cx + half));
    if (x2 > x1) data.fill(255, y * width + x1, y * width + x2);
  }
}

/** The subject matte within a band around each face (a face height above it, half a width beside), minus the face. */
async function hairMask(image: RawImage, faces: Box[], segmenter: Segmenter, signal: AbortSignal): Promise<Plane> {
  const { width, height } = image;
  const matte = await segmenter.segment(image, signal);
  const data = new Uint8Array(width * height);
  for (const f of faces) {
    const x1 = Math.max(0, Math.floor(f.left - 0.55 * f.width));
    const x2 = Math.min(width, Math.ceil(f.left + 1.55 * f.width));
    const y1 = Math.max(0, Math.floor(f.top - 0.9 * f.height));
    const y2 = Math.min(height, Math.ceil(f.top + 1.3 * f.height));
    const cx = f.left + f.width / 2;
    const cy = f.top + 0.5 * f.height;
    for (let y = y1; y < y2; y++) {
      for (let x = x1; x < x2; x++) {
        // Inside the face's own ellipse (brows to chin, cheek to cheek) is skin, not hair.
        const dx = (x - cx) / (0.52 * f.width);
        const dy = (y - cy) / (0.62 * f.height);
        if (dx * dx + dy * dy < 1) continue;
        // Below the chin line only beside the face (long hair), not under it (neck, collar).
        if (y > f.top + f.height && Math.abs(x - cx) < 0.6 * f.width) continue;
        const p = y * width + x;
        data[p] = Math.max(data[p], matte.data[p]);
      }
    }
  }
  return { data, width, height };
}
