import sharp from 'sharp';
import type { Rgb } from './colors.js';
import { planeOut, sharpFromPlane, type Plane } from './masks.js';
import { sharpFromRaw, type RawImage } from './raw-image.js';

/**
 * Generated backgrounds (flat colour, studio backdrop, gradients) and smooth weight fields (vignette).
 * Smooth fields are computed on a small grid and enlarged by sharp, so a 30-megapixel backdrop costs a
 * resize in libvips rather than a per-pixel loop on the event loop.
 */

const GRID = 256;

/** What a background can be replaced with; `layer` means an image the client sent. */
export type BackdropSpec =
  | { kind: 'color'; color: Rgb }
  | { kind: 'studio' }
  | { kind: 'gradient'; from: Rgb; to: Rgb; direction: 'vertical' | 'horizontal' };

/**
 * Renders a backdrop at `width` x `height` as RGB.
 *
 * @example const backdrop = await renderBackdrop({ kind: 'studio' }, 1024, 768);
 */
export async function renderBackdrop(spec: BackdropSpec, width: number, height: number): Promise<RawImage> {
  if (spec.kind === 'color') {
    const [r, g, b] = spec.color;
    const data = await sharp({ create: { width, height, channels: 3, background: { r, g, b } } })
      .raw()
      .toBuffer();
    return { data, width, height, channels: 3 };
  }
  const grid = spec.kind === 'studio' ? studioGrid() : gradientGrid(spec.from, spec.to, spec.direction);
  return enlarge(grid, width, height);
}

/**
 * A photographer's seamless grey backdrop: a lighter pool of light behind the subject, a little above the
 * centre, falling off to a darker grey at the edges and the floor.
 */
function studioGrid(): RawImage {
  const data = Buffer.alloc(GRID * GRID * 3);
  for (let y = 0; y < GRID; y++) {
    for (let x = 0; x < GRID; x++) {
      const dx = (x + 0.5) / GRID - 0.5;
      const dy = (y + 0.5) / GRID - 0.42;
      const d = Math.min(1, Math.sqrt(dx * dx + dy * dy) / 0.75);
      const fall = d * d * (3 - 2 * d);
      const v = 222 - 82 * fall;
      const i = (y * GRID + x) * 3;
      // A faint warm cast, as real paper backdrops under tungsten-balanced light have.
      data[i] = Math.round(v + 2);
      data[i + 1] = Math.round(v + 1);
      data[i + 2] = Math.round(v - 2);
    }
  }
  return { data, width: GRID, height: GRID, channels: 3 };
}

function gradientGrid(from: Rgb, to: Rgb, direction: 'vertical' | 'horizontal'): RawImage {
  const data = Buffer.alloc(GRID * GRID * 3);
  for (let y = 0; y < GRID; y++) {
    for (let x = 0; x < GRID; x++) {
      const t = ((direction === 'vertical' ? y : x) + 0.5) / GRID;
      const i = (y * GRID + x) * 3;
      for (let c = 0; c < 3; c++) data[i + c] = Math.round(from[c] + (to[c] - from[c]) * t);
    }
  }
  return { data, width: GRID, height: GRID, channels: 3 };
}

async function enlarge(grid: RawImage, width: number, height: number): Promise<RawImage> {
  const data = await sharpFromRaw(grid).resize(width, height, { fit: 'fill', kernel: 'linear' }).raw().toBuffer();
  return { data, width, height, channels: 3 };
}

/**
 * A vignette weight: 0 in the middle, rising smoothly to `strength` x 255 in the corners, following the
 * picture's own proportions.
 */
export async function radialFalloff(width: number, height: number, strength: number): Promise<Uint8Array> {
  const data = new Uint8Array(GRID * GRID);
  const peak = Math.max(0, Math.min(1, strength)) * 255;
  for (let y = 0; y < GRID; y++) {
    for (let x = 0; x < GRID; x++) {
      const dx = ((x + 0.5) / GRID - 0.5) * 2;
      const dy = ((y + 0.5) / GRID - 0.5) * 2;
      const d = Math.min(1, Math.max(0, (Math.sqrt(dx * dx + dy * dy) / Math.SQRT2 - 0.35) / 0.65));
      data[y * GRID + x] = Math.round(peak * d * d * (3 - 2 * d));
    }
  }
  const plane: Plane = { data, width: GRID, height: GRID };
  return (await planeOut(sharpFromPlane(plane).resize(width, height, { fit: 'fill', kernel: 'linear' }))).data;
}

/** Enlarges or crops a client's image so that it covers `width` x `height` (centred), as opaque RGB. */
export async function coverWith(image: RawImage, width: number, height: number): Promise<RawImage> {
  const data = await sharpFromRaw(image)
    .flatten({ background: '#ffffff' })
    .resize(width, height, { fit: 'cover', position: 'centre', kernel: 'lanczos3' })
    .raw()
    .toBuffer();
  return { data, width, height, channels: 3 };
}
