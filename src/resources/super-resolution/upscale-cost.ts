import { ApiError } from '../../errors.js';
import type { SrModelSpec } from './sr-models.js';
import type { UpscaleJob } from './sr-pool.js';
import { effectiveScale, type UpscaleScale } from './upscale-scale.js';

/**
 * How long an enlargement will take, known before any work from the input's size and the networks it
 * runs, so that what cannot finish in time is refused up front instead of cut off midway (Venice's CLI
 * waits 120 s; Node's fetch gives up on headers after 300 s).
 *
 * The network's work is fixed per input pixel, so time is (seconds per input megapixel) x megapixels,
 * one term per network the mix runs. The figures are the 2-core machine's while other sessions loaded it
 * (load average about 5, i.e. two and a half processes per core): float single-tile times from
 * bench/upscale/throughput.ts, raised by 18% for the overlap of 192-pixel tiles, and int8 as float x
 * the int8/float ratio measured in the same runs (bench/upscale/NOTES.md#the-admission-cost-model). A quiet machine
 * is about 2.5x faster, so these hold on a busy one; LOAD_MARGIN adds headroom for what the estimate
 * leaves out (decoding, blending, the PNG, a neighbour's burst).
 */
export const SECONDS_PER_INPUT_MP: Readonly<Record<string, Readonly<Record<Precision, number>>>> = {
  'esrgan-medium-x2': { float: 12, int8: 5 },
  'esrgan-medium-x4': { float: 17, int8: 8 },
  'esrgan-thick-x2': { float: 150, int8: 60 },
  'esrgan-thick-x4': { float: 215, int8: 80 },
  'realesrgan-x4fast': { float: 31, int8: 20 },
};

type Precision = UpscaleJob['precision'];

/** Headroom over the measured (already loaded-machine) figures. */
export const LOAD_MARGIN = 1.25;

/** The longest an admitted upscale may take: the time Venice's own CLI waits for an answer. */
export const UPSCALE_TIME_LIMIT_S = 120;

/** What an enlargement runs, apart from the pixels: the networks, their mix and precision. */
export type UpscaleNetworks = Pick<UpscaleJob, 'faithful' | 'generative' | 'mix' | 'precision'>;

function perMegapixel(spec: SrModelSpec, precision: Precision): number {
  const measured = SECONDS_PER_INPUT_MP[spec.name];
  // A network without a measurement is costed as the slowest measured one: refusing early beats a timeout.
  return measured?.[precision] ?? Math.max(...Object.values(SECONDS_PER_INPUT_MP).map((m) => m.float));
}

/**
 * Estimated seconds to enlarge `inputPixels` with `networks`, margin included.
 *
 * @example estimateUpscaleSeconds(1_000_000, { faithful, generative, mix: 0.5, precision: 'int8' })
 */
export function estimateUpscaleSeconds(inputPixels: number, networks: UpscaleNetworks): number {
  const { faithful, generative, mix, precision } = networks;
  const perMp = (mix < 1 ? perMegapixel(faithful, precision) : 0) + (mix > 0 ? perMegapixel(generative, precision) : 0);
  return (inputPixels / 1e6) * perMp * LOAD_MARGIN;
}

/**
 * Refuses with 413, before any charge or work, an upscale of a `width` x `height` image at `requested`
 * scale that would take longer than UPSCALE_TIME_LIMIT_S, saying what would fit: the largest input at
 * this scale (and at 2x when 4x was asked), and a lower creativity when that alone would fit.
 * `networksFor` gives the networks a request runs at a scale and creativity mix.
 */
export function checkUpscaleTime(
  width: number,
  height: number,
  requested: UpscaleScale,
  networksFor: (scale: UpscaleScale) => UpscaleNetworks,
): void {
  const scale = effectiveScale(width, height, requested);
  const networks = networksFor(scale);
  const seconds = estimateUpscaleSeconds(width * height, networks);
  if (seconds <= UPSCALE_TIME_LIMIT_S) return;
  const options: string[] = [];
  const largest = (s: UpscaleScale, n: UpscaleNetworks) => {
    const pixels = (UPSCALE_TIME_LIMIT_S / estimateUpscaleSeconds(1e6, n)) * 1e6;
    const shrink = Math.sqrt(pixels / (width * height));
    return `${Math.floor(width * shrink)}x${Math.floor(height * shrink)} at ${s}x`;
  };
  options.push(`an image of at most ${largest(scale, networks)}`);
  if (scale === 4) {
    const atTwo = networksFor(2);
    if (estimateUpscaleSeconds(width * height, atTwo) <= UPSCALE_TIME_LIMIT_S) options.unshift('scale 2 with this image');
    else options.push(largest(2, atTwo));
  }
  if (networks.mix > 0 && networks.mix < 1) {
    const faithfulOnly = estimateUpscaleSeconds(width * height, { ...networks, mix: 0 });
    if (faithfulOnly <= UPSCALE_TIME_LIMIT_S) options.unshift('creativity 0 with this image');
  }
  const served = scale === requested ? `${scale}x` : `${requested}x (served at ${scale}x)`;
  throw new ApiError(
    'PAYLOAD_TOO_LARGE',
    `Upscaling this ${width}x${height} image ${served} would take about ${Math.round(seconds)} s on this server, ` +
      `more than the ${UPSCALE_TIME_LIMIT_S} s an upscale may take. What fits: ${options.join('; or ')}`,
    { body: { estimated_seconds: Math.round(seconds), limit_seconds: UPSCALE_TIME_LIMIT_S } },
  );
}
