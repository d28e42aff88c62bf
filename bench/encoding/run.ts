import path from 'node:path';
import sharp from 'sharp';
import { sharpFromRaw, type RawImage } from '../../src/imaging/raw-image.js';
import { encode, type OutputFormat } from '../../src/jobs/output-encoding.js';
import { machineDescription, median } from '../edit/stats.js';

/**
 * Output encoding: time and size of the answer in PNG (the reference: what every answer was before
 * output_format), JPEG and WebP at 1, 4 and 12 megapixels, with the settings the API uses
 * (src/jobs/output-encoding.ts). The pictures are mosaics of the test photos, so there is real detail
 * everywhere. Repeats alternate formats; medians. Usage: npm run bench:encoding [repeats]
 */

const TILES = ['astronaut.png', 'chelsea.png', 'coffee.png', 'motorcycle_left.png', 'rocket.jpg', 'fruits.jpg', 'baboon.jpg'];
const SIZES: Array<[label: string, width: number, height: number]> = [
  ['1 MP', 1152, 864],
  ['4 MP', 2304, 1728],
  ['12 MP', 4000, 3000],
];
const FORMATS: OutputFormat[] = ['png', 'jpeg', 'webp'];

async function mosaic(width: number, height: number): Promise<RawImage> {
  const cols = 4;
  const rows = 3;
  const [w, h] = [Math.floor(width / cols), Math.floor(height / rows)];
  const tiles = await Promise.all(
    Array.from({ length: cols * rows }, async (_, i) => ({
      input: await sharp(path.resolve('test/fixtures', TILES[i % TILES.length]!))
        .removeAlpha()
        .resize(w, h, { fit: 'cover', kernel: 'lanczos3' })
        .toBuffer(),
      left: (i % cols) * w,
      top: Math.floor(i / cols) * h,
    })),
  );
  const { data, info } = await sharp({ create: { width, height, channels: 3, background: '#000' } })
    .composite(tiles)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3 };
}

async function main(): Promise<void> {
  const repeats = Number(process.argv[2] ?? 7);
  console.log(
    `machine: ${machineDescription()}, sharp ${sharp.versions.sharp} (libvips ${sharp.versions.vips}), repeats ${repeats}`,
  );
  console.log('| size | format | median ms | ratio to PNG time | bytes | ratio to PNG size |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const [label, width, height] of SIZES) {
    const image = await mosaic(width, height);
    const times: Record<OutputFormat, number[]> = { png: [], jpeg: [], webp: [] };
    const bytes: Record<OutputFormat, number> = { png: 0, jpeg: 0, webp: 0 };
    for (let r = 0; r < repeats; r++) {
      for (const format of FORMATS) {
        const started = performance.now();
        const out = await encode(sharpFromRaw(image), format, true);
        times[format].push(performance.now() - started);
        bytes[format] = out.body.length;
      }
    }
    const png = { ms: median(times.png), bytes: bytes.png };
    for (const format of FORMATS) {
      const ms = median(times[format]);
      console.log(
        `| ${label} | ${format} | ${ms.toFixed(0)} | ${(ms / png.ms).toFixed(2)} | ${bytes[format]} | ${(bytes[format] / png.bytes).toFixed(3)} |`,
      );
    }
  }
}

await main();
