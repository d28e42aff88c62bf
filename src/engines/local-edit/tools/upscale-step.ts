import { formatUsd } from '../../../accounts/money.js';
import { upscalePriceMicros } from '../../../config/load.js';
import type { RawImage } from '../../../imaging/raw-image.js';
import { enlargeImage } from '../../../resources/super-resolution/index.js';
import { serverUpscaler } from '../../../resources/super-resolution/server-upscaler.js';
import { effectiveScale, type UpscaleScale } from '../../../resources/super-resolution/upscale-scale.js';
import { checkUpscaleTime } from '../../../resources/super-resolution/upscale-cost.js';
import type { EngineContext } from '../../context.js';
import type { EngineResult } from '../../engine.js';

/**
 * "Upscale it 2x": local-edit hands the enlargement to the super-resolution networks the server's upscale
 * model (`config.upscaleModel`, `upscaler` by default) runs, with that model's settings, so both share one
 * worker pool and one faithful network family (resolved by `serverUpscaler`, which the finishing step's
 * enlargement uses too). It runs faithfully (creativity 0: only the faithful network,
 * nothing invented), as the last step of the plan, under the same output limit and 4x-to-2x rule as
 * POST /api/v1/image/upscale (effectiveScale).
 *
 * When the server's upscale model is not a local super-resolution one (a remote upscaler, or none), or its
 * networks cannot run here (a package missing or not the recorded version), upscales are refused with a
 * pointer to /image/upscale: a plain resize would present interpolated pixels as more detail.
 */
export interface UpscaleStep {
  /** Why upscales cannot run on this server, or null when they can. Cheap after the first call. */
  unavailable(): string | null;
  /** The scale actually applied to a `width` x `height` picture (4x drops to 2x past the output limit; too large throws 400). */
  scaleFor(width: number, height: number, factor: UpscaleScale): UpscaleScale;
  run(image: RawImage, scale: UpscaleScale, signal: AbortSignal): Promise<EngineResult>;
  /** Refuses (413) an upscale of a `width` x `height` picture the cost model says would pass the time limit. */
  admit(width: number, height: number, factor: UpscaleScale): void;
  /** What an upscale at `scale` adds to the edit's price: the upscale model's own price for that scale. */
  priceMicros(scale: UpscaleScale): number;
  describe(): Record<string, unknown>;
}

export function serverUpscaleStep(context: EngineContext): UpscaleStep {
  const upscaler = serverUpscaler(context.config, context.resources);
  if ('reason' in upscaler) return unavailableStep(upscaler.reason);
  const { id, networks, faithfulJob } = upscaler;
  const prices = upscalePriceMicros(upscaler.model);
  return {
    unavailable: () => upscaler.unavailable(),
    scaleFor: effectiveScale,
    run: (image, scale, signal) => enlargeImage(upscaler.pool(), image, faithfulJob(scale), signal),
    admit: (width, height, factor) => checkUpscaleTime(width, height, factor, faithfulJob),
    priceMicros: (scale) => prices[scale],
    describe: () => ({
      scales: [2, 4],
      network: { '2x': networks[2].name, '4x': networks[4].name, precision: faithfulJob(2).precision },
      model: id,
      creativity: 0,
      // Added to the edit's price, so an upscale costs the same here as on /image/upscale.
      price_added: { '2x': Number(formatUsd(prices[2])), '4x': Number(formatUsd(prices[4])) },
    }),
  };
}

function unavailableStep(reason: string): UpscaleStep {
  return {
    unavailable: () => reason,
    scaleFor: effectiveScale,
    run: () => Promise.reject(new Error(`upscaling is unavailable (${reason}); resolvePlan refuses it before any work`)),
    admit: () => {},
    priceMicros: () => 0,
    describe: () => ({ unavailable: reason }),
  };
}
