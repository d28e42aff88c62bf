/**
 * The space patches are compared in: luma and two chroma differences (BT.601 YCbCr), with chroma scaled
 * by `chromaWeight`. People see structure mostly in luma, and a patch distance that weighs luma more picks
 * sources whose edges and texture match, rather than ones that merely share a hue. The transform is
 * linear, so the votes' weighted means are the same as averaging in RGB; only the matching changes.
 *
 * An alpha channel, when present as a fourth channel, is copied as is.
 */
export function toMatchingSpace(
  data: Uint8Array,
  channels: number,
  out: Float32Array,
  outChannels: number,
  chromaWeight: number,
): void {
  const size = out.length / outChannels;
  for (let i = 0; i < size; i++) {
    const r = data[i * channels];
    const g = data[i * channels + 1];
    const b = data[i * channels + 2];
    const y = 0.299 * r + 0.587 * g + 0.114 * b;
    const o = i * outChannels;
    out[o] = y;
    out[o + 1] = 0.564 * (b - y) * chromaWeight;
    out[o + 2] = 0.713 * (r - y) * chromaWeight;
    if (outChannels === 4) out[o + 3] = data[i * channels + 3];
  }
}

/** The inverse of toMatchingSpace for one pixel, written into `out` (a clamped byte view) at `offset`. */
export function fromMatchingSpace(
  pixels: Float32Array,
  index: number,
  pixelChannels: number,
  out: Uint8ClampedArray,
  offset: number,
  chromaWeight: number,
): void {
  const p = index * pixelChannels;
  const y = pixels[p];
  const cb = pixels[p + 1] / (0.564 * chromaWeight);
  const cr = pixels[p + 2] / (0.713 * chromaWeight);
  const b = cb + y;
  const r = cr + y;
  out[offset] = r;
  out[offset + 1] = (y - 0.299 * r - 0.114 * b) / 0.587;
  out[offset + 2] = b;
  if (pixelChannels === 4) out[offset + 3] = pixels[p + 3];
}
