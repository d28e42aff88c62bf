/** A patch's half-size, and 1 for dense or 2 for sparse comparison (see patchDistance). */
export interface PatchShape {
  radius: number;
  step: number;
}

/**
 * One pyramid level with everything the solver's phases read and write, in typed arrays over
 * SharedArrayBuffers: the main thread posts the same level to several imaging workers, which work on
 * disjoint ranges of it at once without copying megabytes per message.
 */
export interface SharedLevel {
  width: number;
  height: number;
  channels: number;
  /** Interleaved pixels in the matching space (colour-space.ts); hole pixels hold the current estimate. */
  pixels: Float32Array;
  /** 1 = to fill. */
  hole: Uint8Array;
  /** Hole pixel indices in raster order: the vote's work list. */
  holePixels: Int32Array;
  /** Per pixel: distance to the known region (vote confidence), 0 outside the hole. */
  distance: Float32Array;
  /** Patch centres to match (raster order), valid source centres, and the list of those. */
  targets: Int32Array;
  valid: Uint8Array;
  sources: Int32Array;
  /** The nearest-neighbour field: per pixel, the matched source centre (-1: not a target) and its cost. */
  source: Int32Array;
  cost: Float32Array;
  shape: PatchShape;
  /** The locality penalty per squared pixel of distance between target and source (see nnf.ts). */
  locality: number;
  /** EM iterations at this level, and PatchMatch passes in each. */
  iterations: number;
  passes: number;
}

export function sharedFloat32(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(length * 4));
}

export function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(length * 4));
}

export function sharedUint8(length: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(length));
}

/** Splits [0, length) into `count` contiguous ranges of near-equal size. */
export function chunks(length: number, count: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let k = 0; k < count; k++) out.push([Math.floor((k * length) / count), Math.floor(((k + 1) * length) / count)]);
  return out;
}
