import type { Matrix3x3 } from 'sharp';
import { sharpFromRaw, type RawImage } from './raw-image.js';
import { adjustColour, applyChannelLut, applyLook, blendWeighted, smoothSkinPixels } from './worker-ops.js';
import type { Look } from './looks/look-kernel.js';
import type { PixelWork } from './worker-pool.js';
import { radialFalloff } from './backdrop.js';
import { blurPasses, medianWindow } from './bounded-filters.js';
import { materialize, type Pass, type Rendered } from './rendered.js';

export { materialize, type Rendered };

/**
 * Tone and colour operations. Each is expressed as passes over the image: sharp passes (libvips, off the
 * event loop) wherever sharp does the job, typed-array passes in the imaging workers otherwise. The last
 * sharp pass of an edit is handed back unfinished, so the caller can pipe it straight into the PNG encoder
 * instead of writing the pixels out once more.
 */

/** `amount` is a relative strength: 1 is the default, 0.5 "slightly", 2 "much". */
export type ToneOp =
  | { kind: 'greyscale' }
  | { kind: 'sepia' }
  | { kind: 'vintage' }
  | { kind: 'invert' }
  /** `factor` multiplies lightness / contrast / saturation: 1 leaves the image as it is. */
  | { kind: 'brightness'; factor: number }
  | { kind: 'contrast'; factor: number }
  | { kind: 'saturation'; factor: number }
  /** Positive is warmer, negative cooler; 1 is a clear but natural shift. */
  | { kind: 'temperature'; amount: number }
  | { kind: 'auto-enhance' }
  | { kind: 'sharpen'; amount: number }
  /** `pixels`, when the prompt gave one, is the blur sigma or pixelation block size in pixels. */
  | { kind: 'blur'; amount: number; pixels?: number }
  | { kind: 'pixelate'; amount: number; pixels?: number }
  | { kind: 'denoise'; amount: number }
  | { kind: 'posterize'; levels: number }
  | { kind: 'vignette'; amount: number }
  /** Camera exposure: linear light times 2^stops. */
  | { kind: 'exposure'; stops: number }
  /** Lift (amount > 0) or lower (amount < 0) the shadows or the highlights with a smooth curve. */
  | { kind: 'tonal-range'; range: 'shadows' | 'highlights'; amount: number }
  /** Saturation that spares skin and already-saturated colours; amount > 0 more vivid, < 0 less. */
  | { kind: 'vibrance'; amount: number }
  /** Edge-preserving smoothing of skin (meant for faces: the region comes from a mask or the face finder). */
  | { kind: 'smooth-skin'; amount: number }
  /** A classical look (pencil sketch, oil painting, film grain, ...: looks/look-kernel.ts). */
  | { kind: 'look'; look: Look };

export interface ToneContext {
  /** The side, in pixels, that relative sizes (blur radius, pixel blocks) scale with. */
  referenceSide: number;
  /** Blur and pixelate a small masked region hard enough to hide what is in it. */
  redact: boolean;
  /** The imaging pool for the passes that run in workers (posterize, vignette). */
  work: PixelWork;
}

/**
 * Applies `op` to the colour channels of `image` (alpha is kept as it is).
 *
 * @example
 * const out = await materialize(await applyTone(photo, { kind: 'sepia' }, { referenceSide: 512, redact: false, work }));
 */
export async function applyTone(image: RawImage, op: ToneOp, context: ToneContext): Promise<Rendered> {
  if (image.channels === 4) {
    const { rgb, alpha } = await splitAlpha(image);
    const edited = await materialize(await applyTone(rgb, op, context));
    return { kind: 'raw', image: await joinAlpha(edited, alpha) };
  }
  const passes = await tonePasses(image, op, context);
  let current = image;
  for (let i = 0; i < passes.length; i++) {
    const pass = passes[i];
    if ('raw' in pass) {
      current = await pass.raw(current);
      continue;
    }
    const pipeline = pass.sharp(sharpFromRaw(current));
    if (i === passes.length - 1) return { kind: 'pipeline', pipeline };
    current = await materialize({ kind: 'pipeline', pipeline });
  }
  return { kind: 'raw', image: current };
}

async function tonePasses(image: RawImage, op: ToneOp, context: ToneContext): Promise<Pass[]> {
  const side = Math.max(1, context.referenceSide);
  switch (op.kind) {
    case 'greyscale':
      // One grey channel: a grey PNG is a third of the bytes to compress, and reads back with equal channels.
      return [{ sharp: (s) => s.greyscale().toColourspace('b-w') }];
    case 'sepia':
      return [{ sharp: (s) => s.recomb(SEPIA) }];
    case 'vintage':
      // A faded, warm print: part sepia, lifted blacks, softened whites, less saturation.
      return [{ sharp: (s) => s.recomb(VINTAGE) }, { sharp: (s) => s.linear(0.82, 28).modulate({ saturation: 0.85 }) }];
    case 'invert':
      return [{ sharp: (s) => s.negate({ alpha: false }) }];
    case 'brightness':
      // Equal gains with hue-keeping clipping (colour-adjust.ts), not modulate, which clips channels apart.
      return [
        { raw: (current) => adjustColour(current, { kind: 'gains', gains: [op.factor, op.factor, op.factor] }, context.work) },
      ];
    case 'contrast':
      return [{ sharp: (s) => s.linear(op.factor, 128 * (1 - op.factor)) }];
    case 'saturation':
      return [{ sharp: (s) => s.modulate({ saturation: op.factor }) }];
    case 'temperature': {
      const t = Math.max(-3, Math.min(3, op.amount));
      return [
        {
          raw: (current) =>
            adjustColour(current, { kind: 'gains', gains: [1 + 0.1 * t, 1 + 0.02 * t, 1 - 0.1 * t] }, context.work),
        },
      ];
    }
    case 'exposure':
      return [{ raw: (current) => adjustColour(current, { kind: 'exposure', stops: op.stops }, context.work) }];
    case 'tonal-range':
      return [{ raw: (current) => adjustColour(current, op, context.work) }];
    case 'vibrance':
      return [{ raw: (current) => adjustColour(current, op, context.work) }];
    case 'smooth-skin': {
      // The window scales with the region (a face): about 2% of its side, at least 2 pixels.
      const radius = Math.max(2, Math.round(side * 0.02 * Math.max(0.5, op.amount)));
      return [{ raw: (current) => smoothSkinPixels(current, radius, op.amount, context.work) }];
    }
    case 'auto-enhance': {
      const gains = await greyWorldGains(image);
      return [{ sharp: (s) => s.linear(gains, [0, 0, 0]) }, { sharp: (s) => s.normalise({ lower: 1, upper: 99 }) }];
    }
    case 'sharpen':
      return [{ sharp: (s) => s.sharpen({ sigma: 0.5 + 0.75 * op.amount, m2: 2 + op.amount }) }];
    case 'blur':
      return blurPasses(image, op.pixels ?? op.amount * side * (context.redact ? 0.08 : 0.012));
    case 'denoise':
      return [{ sharp: (s) => s.median(medianWindow(image, op.amount > 1.5 ? 5 : 3)) }];
    case 'pixelate':
      return pixelatePasses(image, Math.round(op.pixels ?? op.amount * side * (context.redact ? 0.125 : 0.02)));
    case 'posterize':
      return [{ raw: (current) => applyChannelLut(current, posterizeLut(op.levels), context.work) }];
    case 'vignette':
      return [{ raw: (current) => vignette(current, op.amount, context.work) }];
    case 'look':
      return [{ raw: (current) => applyLook(current, op.look, context.work) }];
  }
}

const SEPIA: Matrix3x3 = [
  [0.393, 0.769, 0.189],
  [0.349, 0.686, 0.168],
  [0.272, 0.534, 0.131],
];
const VINTAGE: Matrix3x3 = [
  [0.65, 0.45, 0.1],
  [0.2, 0.75, 0.1],
  [0.15, 0.3, 0.55],
];

/**
 * Grey-world white balance, half-way: the square root of the gains that would make the three channel
 * means equal, kept within -15%..+18%. The full correction turns warm scenes (sunsets, tabby cats) blue.
 */
async function greyWorldGains(image: RawImage): Promise<number[]> {
  const { channels } = await sharpFromRaw(image).stats();
  const means = channels.slice(0, 3).map((c) => Math.max(1, c.mean));
  const grey = (means[0] + means[1] + means[2]) / 3;
  return means.map((m) => Math.min(1.18, Math.max(0.85, Math.sqrt(grey / m))));
}

function pixelatePasses(image: RawImage, block: number): Pass[] {
  const size = Math.max(2, Math.min(block, image.width, image.height));
  const small = { w: Math.ceil(image.width / size), h: Math.ceil(image.height / size) };
  // Box-average down, then nearest-neighbour up to whole blocks, then trim the overhang.
  return [
    { sharp: (s) => s.resize(small.w, small.h, { fit: 'fill', kernel: 'linear' }) },
    {
      raw: async (current) =>
        materialize({
          kind: 'pipeline',
          pipeline: sharpFromRaw(current)
            .resize(small.w * size, small.h * size, { kernel: 'nearest', fit: 'fill' })
            .extract({ left: 0, top: 0, width: image.width, height: image.height }),
        }),
    },
  ];
}

function posterizeLut(levels: number): Uint8Array {
  const n = Math.max(2, Math.min(64, Math.round(levels)));
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++) lut[v] = Math.round((Math.round((v / 255) * (n - 1)) * 255) / (n - 1));
  return lut;
}

async function vignette(image: RawImage, amount: number, work: PixelWork): Promise<RawImage> {
  const strength = Math.min(1, 0.45 * amount);
  const weight = await radialFalloff(image.width, image.height, strength);
  return blendWeighted(image, { color: [0, 0, 0] }, weight, undefined, work);
}

export async function splitAlpha(image: RawImage): Promise<{ rgb: RawImage; alpha: Buffer }> {
  const [rgb, alpha] = await Promise.all([
    sharpFromRaw(image).removeAlpha().raw().toBuffer(),
    sharpFromRaw(image).extractChannel(3).raw().toBuffer(),
  ]);
  return { rgb: { data: rgb, width: image.width, height: image.height, channels: 3 }, alpha };
}

export async function joinAlpha(rgb: RawImage, alpha: Uint8Array): Promise<RawImage> {
  const data = await sharpFromRaw(rgb)
    .joinChannel(Buffer.from(alpha.buffer, alpha.byteOffset, alpha.byteLength), {
      raw: { width: rgb.width, height: rgb.height, channels: 1 },
    })
    .raw()
    .toBuffer();
  return { data, width: rgb.width, height: rgb.height, channels: 4 };
}
