/**
 * Identifies an image format from its first bytes, before any decoder sees it. This is the gate that
 * keeps SVG, PDF and other document formats away from sharp: libvips would happily parse and rasterise
 * them (with their own parsers, fonts and entity expansion), so they must be refused by content, not by
 * a filename or a declared media type, both of which the client controls.
 */

/** The raster formats the API accepts. */
export type RasterFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'tiff' | 'avif';

export type SniffResult =
  | { kind: 'raster'; format: RasterFormat }
  /** A recognised format that is refused; `name` completes "<field> is ..." in the error message. */
  | { kind: 'refused'; name: string }
  | { kind: 'unknown' };

export const ACCEPTED_FORMATS_TEXT = 'JPEG, PNG, WebP, AVIF, GIF or TIFF';

/**
 * @example sniffFormat(readFileSync('cat.png')) // { kind: 'raster', format: 'png' }
 * @example sniffFormat(Buffer.from('<svg xmlns=...')) // { kind: 'refused', name: 'an SVG, XML or HTML document' }
 */
export function sniffFormat(bytes: Buffer): SniffResult {
  const raster = sniffRaster(bytes);
  if (raster) return { kind: 'raster', format: raster };
  const refused = sniffRefused(bytes);
  return refused ? { kind: 'refused', name: refused } : { kind: 'unknown' };
}

function sniffRaster(bytes: Buffer): RasterFormat | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return 'gif';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'webp';
  // Classic TIFF (42) and BigTIFF (43), in both byte orders.
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (startsWith(bytes, [0x49, 0x49, 0x2b, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2b])) return 'tiff';
  if (isAvif(bytes)) return 'avif';
  return null;
}

/** AVIF is an ISO-BMFF file whose `ftyp` box names an AV1 image brand; HEIC shares the box but not the brand. */
function isAvif(bytes: Buffer): boolean {
  if (bytes.length < 16 || ascii(bytes, 4, 8) !== 'ftyp') return false;
  const boxSize = bytes.readUInt32BE(0);
  const end = Math.min(bytes.length, Math.max(boxSize, 16));
  // Major brand at 8, minor version at 12, then compatible brands.
  for (let offset = 8; offset + 4 <= end; offset += offset === 8 ? 8 : 4) {
    const brand = ascii(bytes, offset, offset + 4);
    if (brand === 'avif' || brand === 'avis') return true;
  }
  return false;
}

function sniffRefused(bytes: Buffer): string | null {
  if (ascii(bytes, 0, 5) === '%PDF-') return 'a PDF document';
  if (ascii(bytes, 0, 4) === '%!PS' || startsWith(bytes, [0xc5, 0xd0, 0xd3, 0xc6])) return 'a PostScript document';
  if (startsWith(bytes, [0x1f, 0x8b])) return 'gzip-compressed data (such as SVGZ)';
  if (ascii(bytes, 4, 8) === 'ftyp') return 'a HEIC image or video';
  if (ascii(bytes, 0, 2) === 'BM') return 'a BMP image';
  if (ascii(bytes, 0, 4) === '8BPS') return 'a Photoshop document';
  if (startsWith(bytes, [0xff, 0x0a]) || ascii(bytes, 4, 8) === 'JXL ') return 'a JPEG XL image';
  if (ascii(bytes, 4, 8) === 'jP  ' || startsWith(bytes, [0xff, 0x4f, 0xff, 0x51])) return 'a JPEG 2000 image';
  if (looksLikeMarkup(bytes)) return 'an SVG, XML or HTML document';
  return null;
}

/** Text starting with `<` after an optional byte-order mark and whitespace: SVG, XML or HTML. */
function looksLikeMarkup(bytes: Buffer): boolean {
  let offset = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) return true; // UTF-16 text
  while (offset < bytes.length && offset < 1024 && /\s/.test(String.fromCharCode(bytes[offset]))) offset++;
  return bytes[offset] === 0x3c; // '<'
}

function startsWith(bytes: Buffer, signature: number[]): boolean {
  return bytes.length >= signature.length && signature.every((byte, index) => bytes[index] === byte);
}

function ascii(bytes: Buffer, start: number, end: number): string {
  return bytes.length >= end ? bytes.toString('latin1', start, end) : '';
}
