import { z } from 'zod';

/**
 * The parts of a model's config that say what the model honours and what it costs, as Venice publishes
 * them in `GET /models` (`model_spec.constraints`, `model_spec.pricing`): resolution tiers, qualities,
 * tier prices, a price per extra input image, aliases and deprecation. Spread into modelConfigSchema.
 */

/** Venice's resolution tiers; each fits the output's longer side to this many pixels. */
export const RESOLUTIONS = ['1K', '2K', '4K'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];
export const RESOLUTION_LONG_SIDE: Record<Resolution, number> = { '1K': 1024, '2K': 2048, '4K': 4096 };

export const QUALITIES = ['low', 'medium', 'high'] as const;
export type Quality = (typeof QUALITIES)[number];

const usd = z.number().min(0).max(1_000_000);

/**
 * Prices beyond the base `priceUsd` (Venice's `pricing.inpaint`). A resolution price replaces the base
 * at that tier; a quality price replaces both at that (tier, quality); `inputImages.additionalUsd` is
 * added per input image beyond `included`.
 *
 * @example { "resolutions": { "2K": 0.06, "4K": 0.1 }, "inputImages": { "included": 1, "additionalUsd": 0.0045 } }
 */
export const pricingConfigSchema = z
  .object({
    resolutions: z.partialRecord(z.enum(RESOLUTIONS), usd).optional(),
    quality: z.partialRecord(z.enum(RESOLUTIONS), z.partialRecord(z.enum(QUALITIES), usd)).optional(),
    inputImages: z
      .object({ included: z.number().int().min(0).default(1), additionalUsd: usd })
      .strict()
      .optional(),
  })
  .strict();

export const modelTraitsShape = {
  /** Resolution tiers the model can answer at; default from the engine kind's declared traits (see engines/model-traits.ts). */
  resolutions: z.array(z.enum(RESOLUTIONS)).min(1).optional(),
  /** The tier used when a request names none; `null` keeps the input's size (local engines' default). */
  defaultResolution: z.enum(RESOLUTIONS).nullable().optional(),
  /** `quality` values the model accepts (multi-edit); none unless declared. */
  qualities: z.array(z.enum(QUALITIES)).min(1).optional(),
  defaultQuality: z.enum(QUALITIES).optional(),
  pricing: pricingConfigSchema.optional(),
  /** Other ids this same model answers to (listed in GET /models, each with the same traits). */
  aliases: z.array(z.string().regex(/^[a-z0-9][a-z0-9._-]*$/)).default([]),
  /** Marks the model deprecated: clients get `x-venice-model-deprecation-*` headers on every answer. */
  deprecation: z
    .object({
      /** ISO 8601 date or instant when the model goes away. */
      date: z.iso.date().or(z.iso.datetime()),
      warning: z.string().min(1).max(500).optional(),
      replacement: z.string().min(1).optional(),
    })
    .strict()
    .optional(),
};
