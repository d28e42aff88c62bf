/**
 * Grey-level erosion: each value becomes the minimum over the (2r+1) x (2r+1) square around it (pixels
 * past the border do not count). libvips' morphology (sharp's erode / dilate) is for binary 0/255 images:
 * on a soft mask it returns values from neither side, which a feathered edit then draws as thin contour
 * lines. This works on any values. Separable (rows, then columns), each pass in O(1) per pixel whatever
 * the radius (van Herk 1992; Gil and Werman 1993): block-wise prefix and suffix minima.
 */
export function erodeGrey(data: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  const r = Math.max(0, Math.round(radius));
  if (r === 0) return Uint8Array.from(data);
  const rows = new Uint8Array(data.length);
  const line = new Uint8Array(Math.max(width, height));
  const out = new Uint8Array(Math.max(width, height));
  const scratch = { prefix: new Uint8Array(line.length + 2 * r), suffix: new Uint8Array(line.length + 2 * r) };
  for (let y = 0; y < height; y++) {
    minOverWindows(data.subarray(y * width, (y + 1) * width), width, r, out, scratch);
    rows.set(out.subarray(0, width), y * width);
  }
  const result = new Uint8Array(data.length);
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) line[y] = rows[y * width + x];
    minOverWindows(line, height, r, out, scratch);
    for (let y = 0; y < height; y++) result[y * width + x] = out[y];
  }
  return result;
}

/** out[i] = min(values[i - r .. i + r]) over the values that exist, for i < n. */
function minOverWindows(
  values: Uint8Array,
  n: number,
  r: number,
  out: Uint8Array,
  scratch: { prefix: Uint8Array; suffix: Uint8Array },
): void {
  const size = 2 * r + 1;
  // Padded with 255 (the minimum's neutral value) so that windows past either end need no test.
  const length = n + 2 * r;
  const padded = (i: number) => (i < r || i >= n + r ? 255 : values[i - r]);
  const { prefix, suffix } = scratch;
  for (let i = 0; i < length; i++) prefix[i] = i % size === 0 ? padded(i) : Math.min(prefix[i - 1], padded(i));
  for (let i = length - 1; i >= 0; i--) {
    suffix[i] = i === length - 1 || (i + 1) % size === 0 ? padded(i) : Math.min(suffix[i + 1], padded(i));
  }
  // The window [i, i + size - 1] of the padded line is centred on value i.
  for (let i = 0; i < n; i++) out[i] = Math.min(suffix[i], prefix[i + size - 1]);
}
