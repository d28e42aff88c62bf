import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import sharp, { type Sharp } from 'sharp';

/**
 * Images built on the fly for the input tests: named exports, each small and of one known property, so a
 * test says what it feeds the loader instead of shipping opaque binary fixtures.
 */

/** A fixture photo from test/fixtures, resolved from the repository root (works from src and dist). */
export function fixture(name: string): Buffer {
  return readFileSync(path.resolve('test/fixtures', name));
}

/** A solid-colour RGB image of the given size, encoded by `encode` (default PNG). */
export async function solid(
  width: number,
  height: number,
  encode: (image: Sharp) => Sharp = (image) => image.png(),
  background = '#3366cc',
): Promise<Buffer> {
  return encode(sharp({ create: { width, height, channels: 3, background } })).toBuffer();
}

/**
 * A 400x300 JPEG whose top-left 40x40 block is red (rest blue), tagged with EXIF orientation `orientation`
 * but stored unrotated, as phone cameras do.
 */
export async function jpegWithOrientation(orientation: number): Promise<Buffer> {
  const marker = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#ff0000' } })
    .png()
    .toBuffer();
  return sharp({ create: { width: 400, height: 300, channels: 3, background: '#0000ff' } })
    .composite([{ input: marker, left: 0, top: 0 }])
    .jpeg({ quality: 95 })
    .withMetadata({ orientation })
    .toBuffer();
}

/** An animated GIF of two 300x300 frames: red, then blue. */
export async function twoFrameGif(): Promise<Buffer> {
  const red = await solid(300, 300, (image) => image.png(), '#ff0000');
  const blue = await solid(300, 300, (image) => image.png(), '#0000ff');
  return sharp([red, blue], { join: { animated: true } })
    .gif()
    .toBuffer();
}

/** A PNG with 16 bits per sample. */
export async function png16(width = 300, height = 300): Promise<Buffer> {
  const png = await solid(width, height, (image) => image.png(), '#336699');
  return sharp(png).toColourspace('rgb16').png().toBuffer();
}

/** A greyscale PNG with an alpha channel (two channels). */
export async function greyAlphaPng(): Promise<Buffer> {
  return sharp({ create: { width: 300, height: 300, channels: 4, background: { r: 90, g: 90, b: 90, alpha: 0.5 } } })
    .toColourspace('b-w')
    .png()
    .toBuffer();
}

/** A greyscale PNG without alpha (one channel). */
export async function greyPng(): Promise<Buffer> {
  return sharp({ create: { width: 300, height: 300, channels: 3, background: '#777777' } })
    .toColourspace('b-w')
    .png()
    .toBuffer();
}

export const SVG = Buffer.from(
  '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400">' +
    '<rect width="400" height="400" fill="red"/></svg>',
);

/** The start of a PDF file: enough for anything that sniffs content to know what it is. */
export const PDF = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n');

const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A hand-built 8-bit RGB PNG whose IHDR announces `width` x `height` but whose IDAT holds only `rows`
 * rows of zeros (deflated, so a few hundred KB stand for hundreds of MB of pixels): a decompression bomb.
 * Valid CRCs throughout, so a decoder that trusts the header would start allocating and inflating.
 */
export async function pngBomb(width: number, height: number, rows: number): Promise<Buffer> {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  const pixels = await deflateZeros((1 + width * 3) * rows); // each row: filter byte + samples
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', pixels),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Deflates `length` zero bytes without ever holding them: one zero block fed repeatedly. */
async function deflateZeros(length: number): Promise<Buffer> {
  const block = Buffer.alloc(1 << 20);
  async function* zeros() {
    for (let left = length; left > 0; left -= block.length) yield block.subarray(0, Math.min(block.length, left));
  }
  const parts: Buffer[] = [];
  await pipeline(Readable.from(zeros()), zlib.createDeflate({ level: 9 }), async (compressed: AsyncIterable<Buffer>) => {
    for await (const part of compressed) parts.push(part);
  });
  return Buffer.concat(parts);
}
