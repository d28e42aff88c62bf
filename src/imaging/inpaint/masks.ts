import { sharedFloat32, sharedInt32, sharedUint8 } from './shared-level.js';

/**
 * Mask arithmetic for inpainting, on one byte per pixel (1 = hole, 0 = known): square dilation, the
 * target and source patch sets, and the distance of hole pixels to the known region. Results that the
 * solver's workers share are allocated in shared memory.
 */

/** Where patches may be centred at one pyramid level, for patches of radius `radius`. */
export interface PatchSets {
  /** Centres whose patch overlaps the hole, in raster order: the patches PatchMatch must match. */
  targets: Int32Array;
  /** 1 where a patch centred there lies inside the image and entirely outside the hole. */
  valid: Uint8Array;
  /** The indices where `valid` is 1, for uniform random sampling. */
  sources: Int32Array;
}

/** Marks every pixel within `radius` (Chebyshev distance) of a set pixel: a square dilation, O(pixels). */
export function dilate(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  const horizontal = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    // `last` is the x of the most recent set pixel seen from the left, `next` the next one to the right.
    let last = -Infinity;
    let next = nextSet(mask, row, 0, width);
    for (let x = 0; x < width; x++) {
      if (mask[row + x]) last = x;
      if (next < x) next = nextSet(mask, row, x, width);
      horizontal[row + x] = x - last <= radius || next - x <= radius ? 1 : 0;
    }
  }
  const out = new Uint8Array(mask.length);
  for (let x = 0; x < width; x++) {
    let count = 0;
    // Running count of set pixels in the vertical window [y - radius, y + radius].
    for (let y = 0; y < Math.min(radius, height); y++) count += horizontal[y * width + x];
    for (let y = 0; y < height; y++) {
      const enter = y + radius;
      const leave = y - radius - 1;
      if (enter < height) count += horizontal[enter * width + x];
      if (leave >= 0) count -= horizontal[leave * width + x];
      out[y * width + x] = count > 0 ? 1 : 0;
    }
  }
  return out;
}

function nextSet(mask: Uint8Array, row: number, from: number, width: number): number {
  for (let x = from; x < width; x++) if (mask[row + x]) return x;
  return Infinity;
}

/**
 * The patches to fill and the patches to copy from. A target patch overlaps the hole; a source patch must
 * not touch it, so that every pixel copied into the hole comes from the known image.
 */
export function patchSets(hole: Uint8Array, width: number, height: number, radius: number, noSource?: Uint8Array): PatchSets {
  const near = dilate(hole, width, height, radius);
  // A source may not touch the excluded pixels either; they stay known, so they are not targets.
  const excluded = noSource ? dilate(noSource, width, height, radius) : undefined;
  const valid = sharedUint8(hole.length);
  let targetCount = 0;
  let sourceCount = 0;
  for (let y = radius; y < height - radius; y++) {
    for (let x = radius; x < width - radius; x++) {
      const i = y * width + x;
      if (near[i]) targetCount++;
      else if (!excluded?.[i]) {
        valid[i] = 1;
        sourceCount++;
      }
    }
  }
  const targets = sharedInt32(targetCount);
  const sources = sharedInt32(sourceCount);
  let t = 0;
  let s = 0;
  for (let y = radius; y < height - radius; y++) {
    for (let x = radius; x < width - radius; x++) {
      const i = y * width + x;
      if (near[i]) targets[t++] = i;
      else if (valid[i]) sources[s++] = i;
    }
  }
  return { targets, valid, sources };
}

/**
 * For each hole pixel, its distance to the nearest known pixel (a two-pass chamfer transform with
 * weights 1 and sqrt 2); 0 outside the hole. Used to weight votes and to choose the pyramid depth.
 */
export function distanceToKnown(hole: Uint8Array, width: number, height: number): Float32Array {
  const far = width + height;
  const d = sharedFloat32(hole.length);
  for (let i = 0; i < hole.length; i++) d[i] = hole[i] ? far : 0;
  const diagonal = Math.SQRT2;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!hole[i]) continue;
      let v = d[i];
      if (x > 0) v = Math.min(v, d[i - 1] + 1);
      if (y > 0) {
        v = Math.min(v, d[i - width] + 1);
        if (x > 0) v = Math.min(v, d[i - width - 1] + diagonal);
        if (x < width - 1) v = Math.min(v, d[i - width + 1] + diagonal);
      }
      d[i] = v;
    }
  }
  for (let y = height - 1; y >= 0; y--) {
    for (let x = width - 1; x >= 0; x--) {
      const i = y * width + x;
      if (!hole[i]) continue;
      let v = d[i];
      if (x < width - 1) v = Math.min(v, d[i + 1] + 1);
      if (y < height - 1) {
        v = Math.min(v, d[i + width] + 1);
        if (x < width - 1) v = Math.min(v, d[i + width + 1] + diagonal);
        if (x > 0) v = Math.min(v, d[i + width - 1] + diagonal);
      }
      d[i] = v;
    }
  }
  return d;
}
