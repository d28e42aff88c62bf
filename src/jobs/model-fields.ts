import { priceOf } from '../accounts/pricing.js';
import { RESOLUTION_LONG_SIDE, RESOLUTIONS, type Quality, type Resolution } from '../config/model-traits.js';
import type { ModelEntry } from '../engines/model-entry.js';
import { ApiError } from '../errors.js';
import { chooseFormat, type OutputFormat } from './output-encoding.js';

/**
 * Venice's per-request fields checked against what the model honours, before any charge: a field the
 * model cannot honour is a 400 naming what it supports, with one exception Venice documents: `quality`
 * is ignored by a model that has no quality tiers. Resolves the tier, quality, format and price the
 * request will be made and charged at.
 */
export interface RequestedFields {
  outputFormat?: OutputFormat;
  /** As sent (upper-cased); checked against the model's tiers here. */
  resolution?: string;
  quality?: Quality;
  /** Venice's default is true. */
  safeMode?: boolean;
  enhancePrompt?: boolean;
  disablePromptOptimizationThinking?: boolean;
}

export interface ResolvedFields {
  /** The tier the answer is made at; undefined keeps the input's size (local engines by default). */
  resolution?: Resolution;
  /** Whether the client named the tier (only a named tier may refuse a small input). */
  resolutionExplicit: boolean;
  quality?: Quality;
  format: OutputFormat;
  safeMode: boolean;
  enhancePrompt: boolean;
  disablePromptOptimizationThinking?: boolean;
  priceMicros: number;
}

const notSupported = (message: string) => new ApiError('INVALID_PARAMETERS', message);

export function resolveFields(model: ModelEntry, fields: RequestedFields, imageCount: number): ResolvedFields {
  const { traits, id } = model;
  let resolution: Resolution | undefined;
  if (fields.resolution !== undefined) {
    const tier = fields.resolution as Resolution;
    if (!RESOLUTIONS.includes(tier) || !traits.resolutions.includes(tier)) {
      throw notSupported(
        `resolution ${fields.resolution} is not supported by ${id}; supported: ${traits.resolutions.join(', ')}`,
      );
    }
    resolution = tier;
  } else {
    resolution = traits.defaultResolution ?? undefined;
  }
  let quality: Quality | undefined;
  // Venice: "quality is honoured by models that support it; other models ignore it".
  if (fields.quality !== undefined && traits.qualities.length > 0) {
    if (!traits.qualities.includes(fields.quality)) {
      throw notSupported(`quality ${fields.quality} is not supported by ${id}; supported: ${traits.qualities.join(', ')}`);
    }
    quality = fields.quality;
  } else {
    quality = traits.defaultQuality;
  }
  if (fields.enhancePrompt && !traits.enhancePrompt) {
    throw notSupported(
      `enhance_prompt is not supported by ${id}: no prompt rewriter serves it here (models with enhancement: those on the venice backend)`,
    );
  }
  return {
    resolution,
    resolutionExplicit: fields.resolution !== undefined,
    quality,
    format: chooseFormat(fields.outputFormat, resolution),
    safeMode: fields.safeMode ?? true,
    enhancePrompt: fields.enhancePrompt ?? false,
    disablePromptOptimizationThinking: fields.disablePromptOptimizationThinking,
    priceMicros: priceOf(model.prices, { resolution, quality, imageCount }),
  };
}

/**
 * A tier the client named that is larger than the input: only a super-resolution engine may make the
 * picture larger (a plain resize would present interpolated pixels as more detail), and this server
 * has none wired to the edit routes yet, so the request is refused before any charge. Models that
 * generate at the tier themselves (the `venice` backend) are not concerned.
 */
export function checkEnlargement(model: ModelEntry, resolved: ResolvedFields, base: { width: number; height: number }): void {
  if (!resolved.resolution || !resolved.resolutionExplicit || model.traits.nativeResolution) return;
  const target = RESOLUTION_LONG_SIDE[resolved.resolution];
  const longSide = Math.max(base.width, base.height);
  if (longSide >= target) return;
  const fitting = RESOLUTIONS.filter((tier) => RESOLUTION_LONG_SIDE[tier] <= longSide && model.traits.resolutions.includes(tier));
  throw notSupported(
    `resolution ${resolved.resolution} would enlarge this ${base.width}x${base.height} image to ${target} px on its longer side; ` +
      `${model.id} does not enlarge (that is the super-resolution engine's job, not a resize). ` +
      (fitting.length > 0
        ? `Use ${fitting.join(' or ')}, or omit resolution to keep the input's size`
        : "Omit resolution to keep the input's size"),
  );
}
