import { crc32 } from 'node:zlib';

/**
 * libvips writes a PNG's image data as many 8 KB IDAT chunks (147 for a 1 MP photo), and the C2PA
 * library's PNG reader pays a fixed cost per chunk: signing a 1 MP PNG took about 41 ms as written and
 * about 10 ms once its data sat in one chunk (bench/provenance/NOTES.md#png-chunks). So before signing, the
 * IDAT chunks are joined into one: the same zlib stream, the same pixels, one chunk header and CRC.
 */

const SIGNATURE_LENGTH = 8;

/**
 * @example const joined = joinImageData(await sharp(input).png().toBuffer()); // same picture, one IDAT
 */
export function joinImageData(png: Buffer): Buffer {
  const before: Buffer[] = [];
  const data: Buffer[] = [];
  const after: Buffer[] = [];
  let offset = SIGNATURE_LENGTH;
  let dataLength = 0;
  while (offset + 12 <= png.length) {
    const length = png.readUInt32BE(offset);
    const end = offset + 12 + length;
    if (end > png.length) return png; // truncated: left for the library to refuse
    const type = png.toString('latin1', offset + 4, offset + 8);
    if (type === 'IDAT') {
      // IDAT chunks are consecutive by the PNG specification; a file where they are not is left alone.
      if (after.length > 0) return png;
      data.push(png.subarray(offset + 8, offset + 8 + length));
      dataLength += length;
    } else {
      (data.length === 0 ? before : after).push(png.subarray(offset, end));
    }
    offset = end;
  }
  if (data.length <= 1) return png;
  const header = Buffer.alloc(8);
  header.writeUInt32BE(dataLength, 0);
  header.write('IDAT', 4, 'latin1');
  const body = Buffer.concat(data, dataLength);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body, crc32(header.subarray(4))) >>> 0, 0);
  return Buffer.concat([png.subarray(0, SIGNATURE_LENGTH), ...before, header, body, crc, ...after]);
}
