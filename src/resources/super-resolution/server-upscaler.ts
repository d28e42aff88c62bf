import type { Config, ModelConfig } from '../../config/schema.js';
import type { ResourceRegistry } from '../resource-registry.js';
import { superResolutionResource } from './index.js';
import type { SuperResolution } from './sr-pool.js';
import { faithfulNetworks, type SrModelSpec, SR_MODELS } from './sr-models.js';
import type { UpscaleScale } from './upscale-scale.js';
import { superResolutionOptionsSchema } from './upscaler-options.js';
import type { Precision } from './worker/sr-worker.js';

/** The networks of one faithful enlargement (creativity 0), as `enlargeImage` and the cost model take them. */
export interface FaithfulJob {
  scale: UpscaleScale;
  faithful: SrModelSpec;
  generative: SrModelSpec;
  mix: 0;
  precision: Precision;
}

/** The server's upscale model, resolved for faithful enlargements by others than the upscale route. */
export interface ServerUpscaler {
  /** The model's id (`config.upscaleModel`) and its config. */
  id: string;
  model: ModelConfig;
  /** The faithful network of each scale. */
  networks: Record<UpscaleScale, SrModelSpec>;
  /** The shared pool of the model's settings (created on first call: the registry keeps one per settings). */
  pool(): SuperResolution;
  /** Offline reason of the faithful networks (a package missing or not the recorded version), or null. */
  unavailable(): string | null;
  /** Only the faithful network runs (mix 0); the generative one is named, never loaded. */
  faithfulJob(scale: UpscaleScale): FaithfulJob;
}

/**
 * Which networks and which pool an enlargement outside /image/upscale uses: those of the server's upscale
 * model (`config.upscaleModel`), with that model's options, so every user shares one worker pool and one
 * network family. Returns why not when that model is not a local super-resolution one, or its options are
 * invalid. Used by local-edit's "upscale it 2x" (src/engines/local-edit/tools/upscale-step.ts) and the
 * finishing step's enlargement (src/jobs/super-resolution-enlarger.ts).
 *
 * @example
 * const upscaler = serverUpscaler(config, resources);
 * if ('reason' in upscaler) refuse(upscaler.reason);
 * else await enlargeImage(upscaler.pool(), image, upscaler.faithfulJob(2), signal);
 */
export function serverUpscaler(config: Config, resources: ResourceRegistry): ServerUpscaler | { reason: string } {
  const id = config.upscaleModel;
  const model = config.models[id];
  if (model?.engine !== 'super-resolution') {
    return {
      reason: model
        ? `this server's upscale model (${id}) runs on the ${model.engine} engine, not on local super-resolution`
        : `this server has no upscale model (upscaleModel names ${id}, which is not configured)`,
    };
  }
  const options = superResolutionOptionsSchema.safeParse(model.options);
  if (!options.success) return { reason: `the options of this server's upscale model (${id}) are invalid` };
  const { workers, tileSize, tileOverlap, faithful, generative, precision } = options.data;
  // The schema has checked that the family has both scales and that `generative` names a 4x network.
  const networks = faithfulNetworks(faithful)!;
  const pool = () => resources.get(superResolutionResource({ workers, tileSize, tileOverlap }));
  return {
    id,
    model,
    networks,
    pool,
    unavailable() {
      const status = pool().status([networks[2], networks[4]]);
      return status.online ? null : status.reason;
    },
    faithfulJob: (scale) => ({ scale, faithful: networks[scale], generative: SR_MODELS[generative]!, mix: 0, precision }),
  };
}
