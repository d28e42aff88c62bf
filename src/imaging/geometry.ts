import type { Sharp } from 'sharp';
import { planeOut, sharpFromPlane, type Plane } from './masks.js';
import type { PlaneBounds } from './pixel-stats.js';

/**
 * Geometry: quarter-turn rotations, mirroring and crops to an aspect ratio. Every transform applies the
 * same way to the image and to the masks and mattes that go with it, so a mask drawn on the input still
 * covers the same pixels after "rotate 90 degrees".
 */

/** Width to height, e.g. [16, 9]. */
export type Ratio = readonly [number, number];

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** A geometry change resolved for one image size: the crop already has its rectangle. */
export type Transform =
  | { kind: 'rotate'; degrees: 90 | 180 | 270 }
  | { kind: 'flip'; axis: 'horizontal' | 'vertical' }
  | { kind: 'extract'; rect: Rect }
  /** A small rotation (clockwise degrees, any angle) followed by a crop of the rotated canvas (straighten). */
  | { kind: 'tilt'; degrees: number; rect: Rect };

/** Reads "16:9" (also "16x9", "16 by 9"); null when the text is not a ratio of two positive numbers. */
export function parseRatio(text: string): Ratio | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?::|x|by|\/)\s*(\d+(?:\.\d+)?)\s*$/.exec(text);
  if (!match) return null;
  const w = Number(match[1]);
  const h = Number(match[2]);
  return w > 0 && h > 0 ? [w, h] : null;
}

/** Adds a transform to a sharp pipeline. Rotation is clockwise, as sharp's is. */
export function addTransform(pipeline: Sharp, transform: Transform): Sharp {
  switch (transform.kind) {
    case 'rotate':
      return pipeline.rotate(transform.degrees);
    case 'flip':
      // sharp's flop mirrors left-right, its flip top-bottom.
      return transform.axis === 'horizontal' ? pipeline.flop() : pipeline.flip();
    case 'extract':
      return pipeline.extract(transform.rect);
    case 'tilt':
      // Rotating by a non-right angle grows the canvas; the rect then keeps only pixels that were in the picture.
      // sharp extracts after rotating when extract is called after rotate.
      return pipeline.rotate(transform.degrees, { background: { r: 0, g: 0, b: 0, alpha: 1 } }).extract(transform.rect);
  }
}

/** The same transform on a mask or matte. */
export function transformPlane(plane: Plane, transform: Transform): Promise<Plane> {
  return planeOut(addTransform(sharpFromPlane(plane), transform));
}

/**
 * The largest rectangle of the given ratio inside `width` x `height` (a crop, never an enlargement),
 * placed around the subject when its bounds are given: the whole subject box is kept when it fits;
 * otherwise the crop is centred on the subject's weighted centre across, and keeps the subject's top
 * (heads before feet) down the picture. Without a subject it is centred.
 *
 * @example ratioCrop(1200, 800, [1, 1]) // { left: 200, top: 0, width: 800, height: 800 }
 */
export function ratioCrop(width: number, height: number, ratio: Ratio, subject?: PlaneBounds | null): Rect {
  const target = ratio[0] / ratio[1];
  let cropWidth = width;
  let cropHeight = height;
  if (width / height > target) cropWidth = Math.max(1, Math.min(width, Math.round(height * target)));
  else cropHeight = Math.max(1, Math.min(height, Math.round(width / target)));
  const left = place(width, cropWidth, subject ? [subject.left, subject.right, subject.centerX] : null, false);
  const top = place(height, cropHeight, subject ? [subject.top, subject.bottom, subject.centerY] : null, true);
  return { left, top, width: cropWidth, height: cropHeight };
}

/**
 * Where a window of `size` starts along an axis of `length`, given the subject's [start, end, centre].
 * `keepStart`: when the subject does not fit, show its start (a little headroom included) instead of its centre.
 */
function place(length: number, size: number, subject: [number, number, number] | null, keepStart: boolean): number {
  if (size >= length) return 0;
  let start = (length - size) / 2;
  if (subject) {
    const [from, to, centre] = subject;
    if (to - from <= size) start = Math.min(Math.max(centre - size / 2, to - size), from);
    else start = keepStart ? from - 0.05 * size : centre - size / 2;
  }
  return Math.round(Math.min(Math.max(start, 0), length - size));
}

/** True when the crop would change nothing. */
export function isWholeImage(rect: Rect, width: number, height: number): boolean {
  return rect.left === 0 && rect.top === 0 && rect.width === width && rect.height === height;
}
