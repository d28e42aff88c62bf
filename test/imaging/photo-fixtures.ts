import path from 'node:path';
import sharp from 'sharp';
import type { RawImage } from '../../src/imaging/raw-image.js';

/**
 * Test photos as decoded RawImages, and the measurements the imaging tests compare (channel means,
 * chroma, contrast). Paths resolve from the repository root, which is the working directory both under
 * tsx and for the compiled suite in dist/.
 */

export const PHOTOS = {
  astronaut: 'test/fixtures/astronaut.png',
  chelsea: 'test/fixtures/chelsea.png',
  coffee: 'test/fixtures/coffee.png',
  motorcycle: 'test/fixtures/motorcycle_left.png',
  rocket: 'test/fixtures/rocket.jpg',
  fruits: 'test/fixtures/fruits.jpg',
  baboon: 'test/fixtures/baboon.jpg',
  /** OpenCV's scenetext01.jpg: a sign, a car, a person on each side. */
  street: 'test/fixtures/street.jpg',
  /** chelsea.png with "© Chelsea Photo 2024" drawn in the bottom right corner by sharp (SVG text). */
  watermarked: 'test/fixtures/chelsea-watermark.png',
  /** street.jpg with a plate ("KV 4821", drawn by sharp) on the car's side. */
  plate: 'test/fixtures/street-plate.jpg',
  /** OpenCV's samples/data/home.jpg (Apache-2.0, Debian opencv-doc): a yellow palace against a blue sky with clouds and birds. */
  skyTowers: 'test/fixtures/sky-towers.jpg',
  /** OpenCV's samples/data/leuvenA.jpg (Apache-2.0, Debian opencv-doc), re-encoded at quality 85: brick houses under a grey cloudy sky. */
  cloudyStreet: 'test/fixtures/cloudy-street.jpg',
  /** A facade cut from street.jpg: a stone wall and a white pillar behind a tree, doors at the sides. */
  facade: 'test/fixtures/building-facade.jpg',
} as const;

export async function loadPhoto(name: keyof typeof PHOTOS, maxSide?: number): Promise<RawImage> {
  let pipeline = sharp(path.resolve(PHOTOS[name])).rotate().removeAlpha();
  if (maxSide) pipeline = pipeline.resize(maxSide, maxSide, { fit: 'inside' });
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3 };
}

/**
 * Decodes a PNG result to raw pixels (sharp widens grey to RGB) and reports how many channels the PNG
 * itself stores.
 */
export async function decodePng(
  png: Buffer,
): Promise<{ data: Buffer; width: number; height: number; channels: number; pngChannels: number }> {
  const { channels: pngChannels } = await sharp(png).metadata();
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels, pngChannels: pngChannels ?? info.channels };
}

/** A copy of `image` with an alpha channel of `alpha` everywhere. */
export async function withAlpha(image: RawImage, alpha = 200): Promise<RawImage> {
  const data = Buffer.alloc(image.width * image.height * 4);
  for (let p = 0; p < image.width * image.height; p++) {
    image.data.copy(data, p * 4, p * image.channels, p * image.channels + 3);
    data[p * 4 + 3] = alpha;
  }
  return { ...image, data, channels: 4 };
}

export function channelMeans(image: { data: Uint8Array; channels: number }): number[] {
  const sums = [0, 0, 0];
  const n = image.data.length / image.channels;
  for (let i = 0; i < image.data.length; i += image.channels) {
    sums[0] += image.data[i];
    sums[1] += image.data[i + 1];
    sums[2] += image.data[i + 2];
  }
  return sums.map((s) => s / n);
}

/** Mean of max - min over the colour channels: how colourful the picture is. */
export function meanChroma(image: { data: Uint8Array; channels: number }): number {
  let sum = 0;
  for (let i = 0; i < image.data.length; i += image.channels) {
    const r = image.data[i];
    const g = image.data[i + 1];
    const b = image.data[i + 2];
    sum += Math.max(r, g, b) - Math.min(r, g, b);
  }
  return sum / (image.data.length / image.channels);
}

export function lumaStats(image: { data: Uint8Array; channels: number }): { mean: number; std: number } {
  const n = image.data.length / image.channels;
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < image.data.length; i += image.channels) {
    const y = 0.299 * image.data[i] + 0.587 * image.data[i + 1] + 0.114 * image.data[i + 2];
    sum += y;
    sq += y * y;
  }
  const mean = sum / n;
  return { mean, std: Math.sqrt(sq / n - mean * mean) };
}

/** Mean absolute 4-neighbour Laplacian of the green channel: a measure of fine detail. */
export function detail(image: { data: Uint8Array; width: number; height: number; channels: number }): number {
  const { data, width, height, channels: c } = image;
  let sum = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = (y * width + x) * c + 1;
      sum += Math.abs(4 * data[i] - data[i - c] - data[i + c] - data[i - width * c] - data[i + width * c]);
    }
  }
  return sum / ((width - 2) * (height - 2));
}

/** A binary mask image (3-channel, white = edit) with a filled rectangle, as Stability-style clients send. */
export function rectMask(
  width: number,
  height: number,
  rect: { left: number; top: number; width: number; height: number },
): RawImage {
  const data = Buffer.alloc(width * height * 3);
  for (let y = rect.top; y < rect.top + rect.height; y++) {
    data.fill(255, (y * width + rect.left) * 3, (y * width + rect.left + rect.width) * 3);
  }
  return { data, width, height, channels: 3 };
}

/** Counts pixels that differ between two images of the same size, inside and outside a predicate. */
export function countChanged(
  a: { data: Uint8Array; width: number; channels: number },
  b: { data: Uint8Array; channels: number },
  inside: (x: number, y: number) => boolean,
): { inside: number; outside: number } {
  const result = { inside: 0, outside: 0 };
  const pixels = a.data.length / a.channels;
  for (let p = 0; p < pixels; p++) {
    let differs = false;
    for (let ch = 0; ch < 3; ch++) if (a.data[p * a.channels + ch] !== b.data[p * b.channels + ch]) differs = true;
    if (a.channels === 4 && b.channels === 4 && a.data[p * 4 + 3] !== b.data[p * 4 + 3]) differs = true;
    if (!differs) continue;
    if (inside(p % a.width, Math.floor(p / a.width))) result.inside++;
    else result.outside++;
  }
  return result;
}
