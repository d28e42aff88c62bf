import { z } from 'zod';
import { DEFAULT_GENERATIVE_MODEL, faithfulNetworks, SR_MODELS } from './sr-models.js';

/**
 * Options of a `super-resolution` model (`models.<id>.options` in the config), kept with the networks and
 * the pool they configure, since the engine and the server's other users of the upscale model
 * (local-edit's "upscale it 2x", OpenAI's `size` enlargement: server-upscaler.ts) read them alike:
 * - `faithful`: the network family used at creativity 0 at both scales (`esrgan-thick`, the most faithful
 *   and slowest; `esrgan-medium`, about 10x faster); default `esrgan-medium` at 2x and
 *   `esrgan-thick` at 4x, chosen by measurement (sr-models.ts);
 * - `generative`: the network mixed in as creativity rises (a 4x network; at 2x its output is averaged down);
 * - `precision`: `int8` (the networks quantized once and cached in `dataDir/models`, about 2.6x faster on
 *   cores with int8 dot products, checked against float by the test suite) or `float`;
 * - `workers`: threads running the networks (0 = one, using every core);
 * - `tileSize` / `tileOverlap`: input tile side and overlap in pixels (memory and seams; see tiling.ts).
 *
 * @example "upscaler": { "engine": "super-resolution", "type": "upscale", "priceUsd": 0.02,
 *   "options": { "faithful": "esrgan-medium" } }
 */
export const superResolutionOptionsSchema = z
  .object({
    faithful: z.string().optional(),
    generative: z.string().default(DEFAULT_GENERATIVE_MODEL),
    precision: z.enum(['int8', 'float']).default('int8'),
    workers: z.number().int().min(0).max(16).default(0),
    tileSize: z.number().int().min(32).max(512).default(192),
    tileOverlap: z.number().int().min(4).max(64).default(16),
  })
  .strict()
  .refine((o) => !!faithfulNetworks(o.faithful), {
    message: `faithful must name a network family with 2x and 4x networks (known networks: ${Object.keys(SR_MODELS).join(', ')})`,
    path: ['faithful'],
  })
  .refine((o) => SR_MODELS[o.generative]?.scale === 4, {
    message: `generative must name a 4x network (known networks: ${Object.keys(SR_MODELS).join(', ')})`,
    path: ['generative'],
  })
  .refine((o) => o.tileOverlap * 2 < o.tileSize, {
    message: 'tileOverlap must be less than half of tileSize',
    path: ['tileOverlap'],
  });

export type SuperResolutionEngineOptions = z.output<typeof superResolutionOptionsSchema>;
