import type { ModelConfig } from '../config/schema.js';
import type { Quality, Resolution } from '../config/model-traits.js';
import { formatUsd } from './money.js';

/**
 * A model's price list in integer micro-dollars, as Venice publishes it in `model_spec.pricing`: a base
 * price (`inpaint`), optional per-resolution prices, optional per-(resolution, quality) prices, and a
 * price per input image beyond those included. The charge of one request is computed here, exactly,
 * before the reservation; the same numbers are what GET /models shows.
 */
export interface PriceList {
  baseMicros: number;
  resolutions: Partial<Record<Resolution, number>>;
  quality: Partial<Record<Resolution, Partial<Record<Quality, number>>>>;
  inputImages?: { included: number; additionalMicros: number };
}

/** What a request asks for that changes its price. */
export interface PricedRequest {
  /** The tier the answer is made at; undefined when the output keeps the input's size. */
  resolution?: Resolution;
  quality?: Quality;
  /** Input images sent (the base included; background removal and edit send one). */
  imageCount: number;
}

/** USD from the config as exact micro-dollars (the config holds at most 6 meaningful decimals). */
export function usdToMicros(usd: number): number {
  return Math.round(usd * 1_000_000);
}

export function priceListOf(model: Pick<ModelConfig, 'priceUsd' | 'pricing'>): PriceList {
  const pricing = model.pricing ?? {};
  const mapValues = <K extends string>(record: Partial<Record<K, number>> | undefined) =>
    Object.fromEntries(Object.entries(record ?? {}).map(([k, v]) => [k, usdToMicros(v as number)])) as Partial<Record<K, number>>;
  return {
    baseMicros: usdToMicros(model.priceUsd),
    resolutions: mapValues(pricing.resolutions),
    quality: Object.fromEntries(Object.entries(pricing.quality ?? {}).map(([tier, byQuality]) => [tier, mapValues(byQuality)])),
    ...(pricing.inputImages
      ? {
          inputImages: {
            included: pricing.inputImages.included,
            additionalMicros: usdToMicros(pricing.inputImages.additionalUsd),
          },
        }
      : {}),
  };
}

/**
 * The charge of one request: the most specific price that applies ((tier, quality), then tier, then
 * base), plus each input image beyond the included ones.
 *
 * @example priceOf(list, { resolution: '2K', quality: 'high', imageCount: 3 }) // quality['2K'].high + 2 x additional
 */
export function priceOf(list: PriceList, request: PricedRequest): number {
  const tier = request.resolution;
  let micros = list.baseMicros;
  if (tier && list.resolutions[tier] !== undefined) micros = list.resolutions[tier]!;
  const byQuality = tier ? list.quality[tier] : undefined;
  if (request.quality && byQuality?.[request.quality] !== undefined) micros = byQuality[request.quality]!;
  if (list.inputImages) {
    micros += Math.max(0, request.imageCount - list.inputImages.included) * list.inputImages.additionalMicros;
  }
  return micros;
}

/** `{usd, diem}` as Venice writes every price (one DIEM is spent like one dollar of credit). */
function amount(micros: number) {
  const value = Number(formatUsd(micros));
  return { usd: value, diem: value };
}

/**
 * The price list in Venice's `model_spec.pricing` shape for the given key (`inpaint` for edit models,
 * `background_removal` for cutout models).
 */
export function pricingSpec(list: PriceList, key: string): Record<string, unknown> {
  const spec: Record<string, unknown> = { [key]: amount(list.baseMicros) };
  const tiers = Object.entries(list.resolutions);
  if (tiers.length > 0) spec.resolutions = Object.fromEntries(tiers.map(([tier, micros]) => [tier, amount(micros!)]));
  const qualityTiers = Object.entries(list.quality);
  if (qualityTiers.length > 0) {
    spec.quality = Object.fromEntries(
      qualityTiers.map(([tier, byQuality]) => [
        tier,
        Object.fromEntries(Object.entries(byQuality ?? {}).map(([q, micros]) => [q, amount(micros!)])),
      ]),
    );
  }
  if (list.inputImages) {
    spec.inputImages = { included: list.inputImages.included, additional: amount(list.inputImages.additionalMicros) };
  }
  return spec;
}
