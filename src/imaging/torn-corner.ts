/**
 * Finds a torn or missing corner of a scanned print by itself: a flat region of one colour, paper-white,
 * cream, black or transparent, reaching into the picture from one of its corners (the scanner's lid or the
 * page behind the print). Flooded from each corner over pixels close to the corner's colour; kept when it
 * is a plausible tear (between 0.2% and 30% of the picture, and not running along a whole edge, as a white
 * sky or a studio wall would). Pure; runs in the imaging workers (task `tornCorner`).
 */

export interface TornCornerInput {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

export interface TornCorner {
  /** One byte per pixel, 255 in the torn area (grown by two pixels to take the tear's ragged fibres). */
  mask: Uint8Array;
  box: { left: number; top: number; width: number; height: number };
}

/** Whether a colour reads as the page behind a print: transparent, or white, cream or black. */
function isPaper(data: Uint8Array, p: number, channels: number): boolean {
  if (channels === 4 && data[p + 3] < 16) return true;
  const max = Math.max(data[p], data[p + 1], data[p + 2]);
  const min = Math.min(data[p], data[p + 1], data[p + 2]);
  const luma = 0.299 * data[p] + 0.587 * data[p + 1] + 0.114 * data[p + 2];
  return max - min < 45 && (luma > 190 || luma < 35);
}

export function findTornCorner(input: TornCornerInput): TornCorner | null {
  const { width, height } = input;
  let best: { pixels: Int32Array; box: TornCorner['box'] } | null = null;
  for (const [x, y] of [
    [0, 0],
    [width - 1, 0],
    [0, height - 1],
    [width - 1, height - 1],
  ]) {
    const found = flood(input, x, y);
    if (found && (!best || found.pixels.length > best.pixels.length)) best = found;
  }
  if (!best) return null;
  const mask = new Uint8Array(width * height);
  for (const i of best.pixels) mask[i] = 255;
  if (!cutSharply(input, mask, best.pixels[0])) return null;
  return { mask: grow(mask, width, height, 2), box: best.box };
}

/**
 * A tear is a cut: a few pixels past its edge the photo is a different colour altogether. A blown-out sky
 * or a shadow in a corner fades into the picture instead, and is left alone.
 */
function cutSharply(input: TornCornerInput, mask: Uint8Array, seedPixel: number): boolean {
  const { data, width, height, channels } = input;
  const near = grow(mask, width, height, 1);
  const far = grow(mask, width, height, 4);
  const s = seedPixel * channels;
  let sum = 0;
  let count = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!far[i] || near[i]) continue;
    const p = i * channels;
    sum += Math.abs(data[p] - data[s]) + Math.abs(data[p + 1] - data[s + 1]) + Math.abs(data[p + 2] - data[s + 2]);
    count++;
  }
  return count > 0 && sum / count > 90;
}

function flood(input: TornCornerInput, sx: number, sy: number): { pixels: Int32Array; box: TornCorner['box'] } | null {
  const { data, width, height, channels } = input;
  const seed = (sy * width + sx) * channels;
  if (!isPaper(data, seed, channels)) return null;
  const transparent = channels === 4 && data[seed + 3] < 16;
  const seen = new Uint8Array(width * height);
  const queue = new Int32Array(width * height);
  let head = 0;
  let tail = 0;
  queue[tail++] = sy * width + sx;
  seen[sy * width + sx] = 1;
  let box = { left: sx, top: sy, right: sx, bottom: sy };
  const limit = 0.3 * width * height;
  while (head < tail) {
    const i = queue[head++];
    const x = i % width;
    const y = (i - x) / width;
    box = {
      left: Math.min(box.left, x),
      top: Math.min(box.top, y),
      right: Math.max(box.right, x),
      bottom: Math.max(box.bottom, y),
    };
    if (tail > limit) return null;
    for (const j of [x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1, y > 0 ? i - width : -1, y < height - 1 ? i + width : -1]) {
      if (j < 0 || seen[j]) continue;
      seen[j] = 1;
      const p = j * channels;
      const same = transparent
        ? data[p + 3] < 16
        : Math.abs(data[p] - data[seed]) + Math.abs(data[p + 1] - data[seed + 1]) + Math.abs(data[p + 2] - data[seed + 2]) < 36;
      if (same) queue[tail++] = j;
    }
  }
  const w = box.right - box.left + 1;
  const h = box.bottom - box.top + 1;
  // A tear is a piece of the print, not a band along a whole edge (a white sky, a studio wall).
  if (tail < 0.002 * width * height || w > 0.7 * width || h > 0.7 * height) return null;
  return { pixels: queue.slice(0, tail), box: { left: box.left, top: box.top, width: w, height: h } };
}

/** Square dilation by `radius` pixels (separable max). */
function grow(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  const rows = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v = 0;
      for (let k = Math.max(0, x - radius); k <= Math.min(width - 1, x + radius) && !v; k++) v = mask[y * width + k];
      rows[y * width + x] = v;
    }
  }
  const out = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v = 0;
      for (let k = Math.max(0, y - radius); k <= Math.min(height - 1, y + radius) && !v; k++) v = rows[k * width + x];
      out[y * width + x] = v;
    }
  }
  return out;
}
