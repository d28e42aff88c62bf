import { growBox } from '../../../resources/detectors/boxes.js';
import type { Box, Detection } from '../../../resources/detectors/detection.js';
import { growPlane, planeOut, sharpFromPlane, type Plane } from '../../../imaging/masks.js';
import { sharpFromRaw, type RawImage } from '../../../imaging/raw-image.js';
import type { Segmenter } from '../../../resources/segmenter/segmenter.js';

/**
 * Masks of found things (255 = the thing), each grown a little so that no edge of it is left:
 * - faces: the ellipse in the face box, grown to take in the forehead and chin;
 * - text: each line's box (already grown by the detector's unclip step), grown by a fifth of its height,
 *   and at least a quarter of the tallest line's (a lone symbol such as "©" gets a box smaller than its glyph);
 * - objects: the segmentation model run on the box's crop (with a margin), kept inside the box, or the box
 *   itself for removal (see FindOptions.purpose) or when the model sees no clear foreground there (it is a salient-object model, so a thing that
 *   does not stand out in its crop gets its box rather than a wrong outline).
 */

/** The share of its box under which a matte is judged not to have found the thing. */
const MIN_MATTE_COVER = 0.15;

/**
 * A soft matte grown by about `radius` pixels without corners: twice its blur, over the matte itself. The
 * thing's edge (matte ~128, blur ~128) comes out at full strength, and the edit then fades out over about
 * two radii outside it, so no edge of the thing is left and no blocky step is drawn.
 */
async function softlyGrown(plane: Plane, radius: number): Promise<Plane> {
  const blurred = await planeOut(sharpFromPlane(plane).blur(radius));
  const data = new Uint8Array(plane.data.length);
  for (let i = 0; i < data.length; i++) data[i] = Math.max(plane.data[i], Math.min(255, 2 * blurred.data[i]));
  return { ...plane, data };
}

export function ellipseMask(boxes: Box[], width: number, height: number): Plane {
  const data = new Uint8Array(width * height);
  for (const face of boxes) {
    const cx = face.left + face.width / 2;
    const cy = face.top + face.height * 0.45;
    const rx = face.width * 0.62;
    const ry = face.height * 0.72;
    for (let y = Math.max(0, Math.floor(cy - ry)); y < Math.min(height, Math.ceil(cy + ry)); y++) {
      const dy = (y + 0.5 - cy) / ry;
      const half = rx * Math.sqrt(Math.max(0, 1 - dy * dy));
      const x1 = Math.max(0, Math.round(cx - half));
      const x2 = Math.min(width, Math.round(cx + half));
      if (x2 > x1) data.fill(255, y * width + x1, y * width + x2);
    }
  }
  return { data, width, height };
}

/** The boxes filled, each grown by `pad(box)` pixels on every side. */
export function boxMask(boxes: Box[], width: number, height: number, pad: (box: Box) => number = () => 0): Plane {
  const data = new Uint8Array(width * height);
  for (const b of boxes) {
    const grow = pad(b);
    const left = Math.max(0, Math.floor(b.left - grow));
    const right = Math.min(width, Math.ceil(b.left + b.width + grow));
    for (let y = Math.max(0, Math.floor(b.top - grow)); y < Math.min(height, Math.ceil(b.top + b.height + grow)); y++) {
      data.fill(255, y * width + left, y * width + right);
    }
  }
  return { data, width, height };
}

/** Object outlines from the segmentation model, one crop per box, grown by about 1% of the box. */
export async function objectMask(image: RawImage, boxes: Detection[], segmenter: Segmenter, signal: AbortSignal): Promise<Plane> {
  const { width, height } = image;
  const data = new Uint8Array(width * height);
  for (const box of boxes) {
    const crop = growBox(box, 0.15, width, height);
    const pixels = await sharpFromRaw(image).extract(crop).raw().toBuffer();
    const matte = await segmenter.segment(
      { data: pixels, width: crop.width, height: crop.height, channels: image.channels },
      signal,
    );
    const keep = growBox(box, 0.03, width, height);
    let covered = 0;
    // The matte as it is, soft: a thresholded one leaves holes where the model is unsure (a cat's
    // translucent ear) and a hard, jagged edge that a tone edit then draws as a line.
    const part = new Uint8Array(width * height);
    for (let y = keep.top; y < keep.top + keep.height; y++) {
      for (let x = keep.left; x < keep.left + keep.width; x++) {
        const value = matte.data[(y - crop.top) * crop.width + (x - crop.left)];
        part[y * width + x] = value;
        if (value > 127) covered++;
      }
    }
    const radius = Math.max(2, Math.round(0.01 * Math.max(box.width, box.height)));
    const grown =
      covered >= MIN_MATTE_COVER * box.width * box.height
        ? await softlyGrown({ data: part, width, height }, radius)
        : await growPlane(boxMask([box], width, height), radius);
    for (let i = 0; i < data.length; i++) if (grown.data[i] > data[i]) data[i] = grown.data[i];
  }
  return { data, width, height };
}
