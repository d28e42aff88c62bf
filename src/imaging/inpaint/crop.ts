import { ApiError } from '../../errors.js';
import { distanceToKnown } from './masks.js';

/**
 * The crop strategy (as IOPaint's "crop" does for its models): inpaint only a window around the hole,
 * its bounding box plus a margin of context, and paste the result back. Exemplar inpainting copies from
 * near the hole anyway (see the locality prior in settings.ts), so a window a few hole-widths wide keeps
 * the same sources at a fraction of the pixels: a 12-megapixel photo with a 1% hole becomes about a
 * one-megapixel problem. Also the check that a hole is small enough for exemplar inpainting to be plausible.
 */

export interface Window {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Context around the hole's box on each side: the box's larger side, at least this many pixels. */
const MIN_MARGIN = 64;
/** Past this share of the image the window saves little; the whole image is used. */
const WHOLE_IMAGE_SHARE = 0.5;

/** The bounding box of the hole (values above 127), or null when there is none. */
export function holeBox(hole: Uint8Array, width: number, height: number): Window | null {
  let left = width,
    top = height,
    right = -1,
    bottom = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (hole[row + x] <= 127) continue;
      if (x < left) left = x;
      if (x > right) right = x;
      if (y < top) top = y;
      bottom = y;
    }
  }
  return right < 0 ? null : { left, top, width: right - left + 1, height: bottom - top + 1 };
}

/** The window to inpaint: the hole's box grown by the margin, clamped; the whole image when that is most of it. */
export function contextWindow(box: Window, width: number, height: number): Window {
  const margin = Math.max(MIN_MARGIN, box.width, box.height);
  const left = Math.max(0, box.left - margin);
  const top = Math.max(0, box.top - margin);
  const right = Math.min(width, box.left + box.width + margin);
  const bottom = Math.min(height, box.top + box.height + margin);
  const window = { left, top, width: right - left, height: bottom - top };
  return window.width * window.height > WHOLE_IMAGE_SHARE * width * height ? { left: 0, top: 0, width, height } : window;
}

/** Side of the blocks in which holes are grouped: holes closer than a block or two belong together. */
const BLOCK = 8;

/**
 * The windows to inpaint, one per group of nearby holes: the hole's parts (connected on a grid of
 * 8-pixel blocks), each with its context window, windows that overlap merged until none do. Every part
 * of the hole then lies wholly inside exactly one window, so the windows can be filled one by one.
 */
export function contextWindows(hole: Uint8Array, width: number, height: number): Window[] {
  const gw = Math.ceil(width / BLOCK);
  const gh = Math.ceil(height / BLOCK);
  const grid = new Uint8Array(gw * gh);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const g = Math.floor(y / BLOCK) * gw;
    for (let x = 0; x < width; x++) if (hole[row + x] > 127) grid[g + Math.floor(x / BLOCK)] = 1;
  }
  const windows: Window[] = [];
  const stack: number[] = [];
  for (let start = 0; start < grid.length; start++) {
    if (grid[start] !== 1) continue;
    let [x0, y0, x1, y1] = [gw, gh, -1, -1];
    grid[start] = 2;
    stack.push(start);
    while (stack.length > 0) {
      const k = stack.pop()!;
      const gx = k % gw;
      const gy = (k - gx) / gw;
      x0 = Math.min(x0, gx);
      x1 = Math.max(x1, gx);
      y0 = Math.min(y0, gy);
      y1 = Math.max(y1, gy);
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = gx + dx,
            ny = gy + dy;
          if (nx < 0 || ny < 0 || nx >= gw || ny >= gh || grid[ny * gw + nx] !== 1) continue;
          grid[ny * gw + nx] = 2;
          stack.push(ny * gw + nx);
        }
      }
    }
    const box = {
      left: x0 * BLOCK,
      top: y0 * BLOCK,
      width: Math.min(width, (x1 + 1) * BLOCK) - x0 * BLOCK,
      height: Math.min(height, (y1 + 1) * BLOCK) - y0 * BLOCK,
    };
    windows.push(contextWindow(box, width, height));
  }
  return mergeOverlapping(windows, width, height);
}

function mergeOverlapping(windows: Window[], width: number, height: number): Window[] {
  const list = [...windows];
  for (let merged = true; merged; ) {
    merged = false;
    for (let i = 0; i < list.length && !merged; i++) {
      for (let j = i + 1; j < list.length && !merged; j++) {
        const a = list[i],
          b = list[j];
        if (a.left >= b.left + b.width || b.left >= a.left + a.width || a.top >= b.top + b.height || b.top >= a.top + a.height)
          continue;
        const left = Math.min(a.left, b.left),
          top = Math.min(a.top, b.top);
        const union = {
          left,
          top,
          width: Math.max(a.left + a.width, b.left + b.width) - left,
          height: Math.max(a.top + a.height, b.top + b.height) - top,
        };
        list.splice(j, 1);
        list[i] = union.width * union.height > WHOLE_IMAGE_SHARE * width * height ? { left: 0, top: 0, width, height } : union;
        merged = true;
      }
    }
  }
  return list;
}

/** Copies a window of a `channels`-byte-per-pixel image. */
export function cutWindow(data: Uint8Array, width: number, channels: number, w: Window): Uint8Array {
  const out = new Uint8Array(w.width * w.height * channels);
  for (let y = 0; y < w.height; y++) {
    const from = ((w.top + y) * width + w.left) * channels;
    out.set(data.subarray(from, from + w.width * channels), y * w.width * channels);
  }
  return out;
}

/** Writes a window back into the image (in place), and returns it. */
export function pasteWindow(out: Uint8Array, width: number, channels: number, w: Window, patch: Uint8Array): Uint8Array {
  for (let y = 0; y < w.height; y++) {
    out.set(patch.subarray(y * w.width * channels, (y + 1) * w.width * channels), ((w.top + y) * width + w.left) * channels);
  }
  return out;
}

/**
 * Holes larger than these leave the fill mostly invented from far away: streaks, not a plausible picture.
 * (A compact blob of 20% of a square picture reaches about a quarter of its side.)
 */
const MAX_HOLE_SHARE = 0.3;
const MAX_HOLE_RADIUS = 0.25;

/**
 * Throws ApiError INVALID_IMAGE (400) when the hole is too large for exemplar inpainting: more than 30%
 * of the picture, or with a point farther than a quarter of the picture's shorter side from anything known.
 * A hole that leaves nothing at all is left to the solver, whose message says so.
 * `hole` is the window's (values above 127 are the hole); `imageShorterSide` the whole picture's.
 */
export function refuseImplausibleHole(hole: Uint8Array, w: Window, imageArea: number, imageShorterSide: number): void {
  const binary = new Uint8Array(hole.length);
  let count = 0;
  for (let i = 0; i < hole.length; i++) {
    if (hole[i] <= 127) continue;
    binary[i] = 1;
    count++;
  }
  if (count === hole.length) return;
  const share = count / imageArea;
  let radius = 0;
  if (share <= MAX_HOLE_SHARE) for (const d of distanceToKnown(binary, w.width, w.height)) if (d > radius) radius = d;
  if (share > MAX_HOLE_SHARE || radius > MAX_HOLE_RADIUS * imageShorterSide) {
    throw new ApiError(
      'INVALID_IMAGE',
      `The area to erase is too large to fill plausibly from the rest of the picture (${Math.round(100 * share)}% of it` +
        (radius > 0 ? `, reaching ${Math.round(radius)} px from anything left to copy from` : '') +
        '). Exemplar inpainting works for holes up to ' +
        `${Math.round(100 * MAX_HOLE_SHARE)}% of the picture and ${Math.round(100 * MAX_HOLE_RADIUS)}% of its shorter side across; ` +
        'mask less, or use a generative model (such as qwen-edit).',
    );
  }
}
