import path from 'node:path';
import sharp from 'sharp';
import type { RawImage } from '../../../src/imaging/raw-image.js';
import { createRng } from '../../../src/imaging/inpaint/rng.js';

/** A test photo decoded to RGB, optionally a crop of it; paths resolve from the repository root. */
export async function photo(
  name: string,
  crop?: { left: number; top: number; width: number; height: number },
): Promise<RawImage> {
  let pipeline = sharp(path.resolve('test/fixtures', name)).removeAlpha();
  if (crop) pipeline = pipeline.extract(crop);
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3 };
}

/** A hole mask (255 inside) for the rectangle, or for a disc when `disc` is set. */
export function rectHole(width: number, height: number, x0: number, y0: number, w: number, h: number): Uint8Array {
  const hole = new Uint8Array(width * height);
  for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) hole[y * width + x] = 255;
  return hole;
}

export function discHole(width: number, height: number, cx: number, cy: number, r: number): Uint8Array {
  const hole = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) hole[y * width + x] = 255;
  return hole;
}

/**
 * Vertical stripes 8 pixels wide (two colours) plus seeded noise: a texture whose continuation into a
 * hole is known exactly, so a fill can be compared with the truth.
 */
export function noisyStripes(width: number, height: number, seed = 1): RawImage {
  const rng = createRng(seed);
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dark = Math.floor(x / 8) % 2 === 0;
      const base = dark ? [40, 60, 90] : [210, 190, 150];
      for (let c = 0; c < 3; c++) data[(y * width + x) * 3 + c] = base[c] + Math.round((rng.next() - 0.5) * 24);
    }
  }
  return { data, width, height, channels: 3 };
}

/** Mean squared error over the hole's pixels, all channels. */
export function mseInHole(a: RawImage, b: RawImage, hole: Uint8Array): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < hole.length; i++) {
    if (hole[i] <= 127) continue;
    for (let c = 0; c < 3; c++) {
      const d = a.data[i * a.channels + c] - b.data[i * b.channels + c];
      sum += d * d;
      n++;
    }
  }
  return sum / n;
}

export function psnr(mse: number): number {
  return 10 * Math.log10((255 * 255) / mse);
}

/** Baseline: every hole pixel set to the mean colour of the known pixels. */
export function meanFill(image: RawImage, hole: Uint8Array): RawImage {
  const sum = [0, 0, 0];
  let n = 0;
  for (let i = 0; i < hole.length; i++) {
    if (hole[i] > 127) continue;
    for (let c = 0; c < 3; c++) sum[c] += image.data[i * 3 + c];
    n++;
  }
  const data = Buffer.from(image.data);
  for (let i = 0; i < hole.length; i++) if (hole[i] > 127) for (let c = 0; c < 3; c++) data[i * 3 + c] = Math.round(sum[c] / n);
  return { ...image, data };
}

/**
 * Baseline: a blur fill, the kind a diffusion or "smudge" tool gives. The hole is filled by repeated
 * averaging of each hole pixel's 4 neighbours (a harmonic interpolation of the boundary), until it settles.
 */
export function blurFill(image: RawImage, hole: Uint8Array, iterations = 2000): RawImage {
  const { width, height } = image;
  const f = Float64Array.from(meanFill(image, hole).data);
  const inside: number[] = [];
  for (let i = 0; i < hole.length; i++) if (hole[i] > 127) inside.push(i);
  const neighbours = (i: number): number[] => {
    const x = i % width;
    const y = (i - x) / width;
    return [x > 0 && i - 1, x < width - 1 && i + 1, y > 0 && i - width, y < height - 1 && i + width].filter(
      (j): j is number => j !== false,
    );
  };
  const around = inside.map(neighbours);
  for (let k = 0; k < iterations; k++) {
    inside.forEach((i, n) => {
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (const j of around[n]) s += f[j * 3 + c];
        f[i * 3 + c] = s / around[n].length;
      }
    });
  }
  return { ...image, data: Buffer.from(Uint8ClampedArray.from(f)) };
}

export function outsideIdentical(a: RawImage, b: RawImage, hole: Uint8Array): boolean {
  const c = a.channels;
  for (let i = 0; i < hole.length; i++) {
    if (hole[i] > 127) continue;
    for (let k = 0; k < c; k++) if (a.data[i * c + k] !== b.data[i * c + k]) return false;
  }
  return true;
}
