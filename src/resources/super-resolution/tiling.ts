/**
 * How a large image is cut into overlapping tiles for a super-resolution network, and how the enlarged
 * tiles are blended back. Each tile is run on its own (bounded memory, abort between tiles); in an overlap
 * the two tiles are mixed with linear ramps that sum to one, so that the zero padding a network sees at a
 * tile's edge (weight near 0 there) never shows as a seam. Edges on the image border get full weight.
 */

export interface TileSpan {
  /** First input pixel of the tile on this axis. */
  start: number;
  /** One past its last input pixel. */
  end: number;
}

/**
 * Spans covering `length` input pixels with as few tiles of at most `tile` pixels as possible, overlapping
 * by at least `overlap`, all of (nearly) the same size: a 256-pixel side with 192-pixel tiles becomes two
 * tiles of 136 rather than 192 + 192, so small images do not pay for work on mostly repeated pixels.
 *
 * @example spans(256, 192, 16) // [{0,136}, {120,256}]
 */
export function spans(length: number, tile: number, overlap: number): TileSpan[] {
  if (tile <= overlap) throw new Error(`tile ${tile} must be larger than overlap ${overlap}`);
  if (length <= tile) return [{ start: 0, end: length }];
  const count = Math.ceil((length - overlap) / (tile - overlap));
  const size = Math.ceil((length + (count - 1) * overlap) / count);
  const out: TileSpan[] = [];
  for (let i = 0; i < count; i++) {
    // Starts spread evenly so that the last tile ends exactly on the border.
    const start = Math.round((i * (length - size)) / (count - 1));
    out.push({ start, end: start + size });
  }
  return out;
}

/**
 * Blend weights along one axis of an enlarged tile, one per output pixel. `before`/`after` are the overlaps
 * (in input pixels) with the neighbouring tiles, 0 on the image border. Across an overlap of `o` input
 * pixels the weight rises linearly from 0 to 1, so two neighbours' weights sum to one everywhere.
 */
export function rampWeights(span: TileSpan, before: number, after: number, scale: number): Float32Array {
  const size = (span.end - span.start) * scale;
  const out = new Float32Array(size).fill(1);
  const rise = (distance: number, width: number) => Math.min(1, (distance + 0.5) / width);
  for (let i = 0; i < size; i++) {
    if (before > 0) out[i] = Math.min(out[i], rise(i, before * scale));
    if (after > 0) out[i] = Math.min(out[i], rise(size - 1 - i, after * scale));
  }
  return out;
}

/** The overlaps of each span with its neighbours (0 on the borders). */
export function overlaps(list: TileSpan[]): Array<{ before: number; after: number }> {
  return list.map((span, i) => ({
    before: i > 0 ? Math.max(0, list[i - 1].end - span.start) : 0,
    after: i < list.length - 1 ? Math.max(0, span.end - list[i + 1].start) : 0,
  }));
}
