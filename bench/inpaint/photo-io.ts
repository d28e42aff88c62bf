import sharp, { type ResizeOptions } from 'sharp';
import type { RawImage } from '../../src/imaging/raw-image.js';

/** 8-bit interleaved pixels, as the metrics and inpaint() read them. */
export type Rgb = RawImage;

/** Decodes any photo to RGB (alpha dropped, EXIF orientation applied). */
export async function loadRgb(file: string, resize?: ResizeOptions): Promise<Rgb> {
  let pipeline = sharp(file).rotate().removeAlpha().toColourspace('srgb');
  if (resize) pipeline = pipeline.resize(resize);
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3 };
}

export async function saveRgb(image: Rgb, file: string): Promise<void> {
  await sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } })
    .png()
    .toFile(file);
}

export async function saveMask(mask: Uint8Array, width: number, height: number, file: string): Promise<void> {
  await sharp(Buffer.from(mask), { raw: { width, height, channels: 1 } })
    .png()
    .toFile(file);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
