import sharp, { type OutputInfo } from 'sharp';
import { median } from './stats.js';

/**
 * The PNG encoder table: every zlib level with adaptive filtering on and off (palette off, as always),
 * on the benchmark picture in colour and in grey, the two shapes local-edit writes. Times are medians.
 */

export interface PngRow {
  level: number;
  adaptive: boolean;
  colourMs: number;
  colourBytes: number;
  greyMs: number;
  greyBytes: number;
}

/** Raw pixels of 1 (grey) or 3 channels. */
export interface Raster {
  data: Buffer;
  width: number;
  height: number;
  channels: number;
}

async function encode(image: Raster, level: number, adaptive: boolean): Promise<{ ms: number; bytes: number }> {
  const { data, width, height, channels } = image;
  let pipeline = sharp(data, { raw: { width, height, channels: channels as 1 | 3 } });
  // sharp writes one-channel raw input as RGB unless told otherwise; local-edit writes grey as grey.
  if (channels === 1) pipeline = pipeline.toColourspace('b-w');
  const started = performance.now();
  const png = await pipeline.png({ compressionLevel: level, adaptiveFiltering: adaptive, palette: false }).toBuffer();
  return { ms: performance.now() - started, bytes: png.length };
}

export async function pngTable(colour: Raster, grey: Raster, repeats: number, levels: number[]): Promise<PngRow[]> {
  const rows: PngRow[] = [];
  for (const level of levels) {
    for (const adaptive of [true, false]) {
      const colourRuns: number[] = [];
      const greyRuns: number[] = [];
      let colourBytes = 0;
      let greyBytes = 0;
      for (let i = 0; i < repeats; i++) {
        const c = await encode(colour, level, adaptive);
        const g = await encode(grey, level, adaptive);
        colourRuns.push(c.ms);
        greyRuns.push(g.ms);
        colourBytes = c.bytes;
        greyBytes = g.bytes;
      }
      rows.push({ level, adaptive, colourMs: median(colourRuns), colourBytes, greyMs: median(greyRuns), greyBytes });
      process.stderr.write(`  png level ${level} adaptive ${adaptive}: ${median(colourRuns).toFixed(0)} ms\n`);
    }
  }
  return rows;
}

/** Decodes the benchmark JPEG to the two rasters the table encodes: colour, and one-channel grey. */
export async function benchRasters(jpeg: Buffer): Promise<{ colour: Raster; grey: Raster }> {
  const [colour, grey] = await Promise.all([
    sharp(jpeg).raw().toBuffer({ resolveWithObject: true }),
    sharp(jpeg).greyscale().toColourspace('b-w').raw().toBuffer({ resolveWithObject: true }),
  ]);
  const asRaster = ({ data, info }: { data: Buffer; info: OutputInfo }): Raster => ({
    data,
    width: info.width,
    height: info.height,
    channels: info.channels,
  });
  return { colour: asRaster(colour), grey: asRaster(grey) };
}
