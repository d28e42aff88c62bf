import type { ModelConfig } from '../config/schema.js';
import { QUALITIES, RESOLUTIONS, type Quality, type Resolution } from '../config/model-traits.js';

/**
 * What a model honours beyond its constraints, resolved once at start from its config and its engine
 * kind: resolution tiers, qualities, how `safe_mode` is kept, and whether prompt enhancement and the
 * prompt-optimization thinking step reach an upstream. A field a model cannot honour is refused with a
 * 400 naming what it supports (src/jobs/model-fields.ts), never ignored.
 */
export interface ModelTraits {
  resolutions: Resolution[];
  /** The tier used when a request names none; `null`: the output keeps the input's size. */
  defaultResolution: Resolution | null;
  /** Empty when the model takes no `quality`. */
  qualities: Quality[];
  defaultQuality?: Quality;
  /**
   * How `safe_mode` is kept: `upstream` (the backend blurs, e.g. Venice), `classifier` (this server
   * classifies the output and blurs what is flagged), `no-new-content` (a local engine that only
   * transforms the client's own pixels, so there is nothing new to classify).
   */
  safeMode: 'upstream' | 'classifier' | 'no-new-content';
  /** Whether `enhance_prompt` is passed to a backend that rewrites prompts. */
  enhancePrompt: boolean;
  /** Whether `disable_prompt_optimization_thinking` reaches a backend with such a step (Venice's `supportsOptimizePromptThinking`). */
  promptOptimizationThinking: boolean;
  /** Passed to the backend, which generates at the tier (Venice); otherwise the finishing step fits the output to it. */
  nativeResolution: boolean;
  deprecation?: { date: string; warning: string; replacement?: string };
}

/** Kinds that only transform the client's pixels: they keep the input's size and invent nothing. */
const LOCAL_KINDS = new Set(['local-edit', 'segmentation']);

/** Kinds that run here and invent no content (what safe mode has nothing to classify in). */
const NO_NEW_CONTENT_KINDS = new Set(['local-edit', 'segmentation', 'super-resolution']);

/** Backends that accept Venice's own fields (resolution, quality, safe_mode, enhance_prompt, ...). */
const VENICE_FIELD_KINDS = new Set(['venice']);

export function resolveModelTraits(id: string, model: ModelConfig): ModelTraits {
  const local = LOCAL_KINDS.has(model.engine);
  const venice = VENICE_FIELD_KINDS.has(model.engine);
  // Local engines can fit the result to any tier (enlarging only through super-resolution); a
  // generative backend answers at 1K unless the operator declares more.
  // An upscale model's output size is its input's times the scale: resolution tiers do not apply to it.
  const upscaler = model.type === 'upscale';
  const resolutions = upscaler ? [] : (model.resolutions ?? (local ? [...RESOLUTIONS] : ['1K']));
  const defaultResolution = upscaler
    ? null
    : model.defaultResolution === undefined
      ? local
        ? null
        : resolutions[0]
      : model.defaultResolution;
  if (defaultResolution && !resolutions.includes(defaultResolution)) {
    throw new Error(
      `models.${id}.defaultResolution ${defaultResolution} is not one of its resolutions (${resolutions.join(', ')})`,
    );
  }
  const qualities = model.qualities ?? [];
  if (model.defaultQuality && !qualities.includes(model.defaultQuality)) {
    throw new Error(
      `models.${id}.defaultQuality ${model.defaultQuality} is not one of its qualities (${qualities.join(', ') || 'none'})`,
    );
  }
  const deprecation = model.deprecation && {
    date: model.deprecation.date,
    warning:
      model.deprecation.warning ??
      `Model ${id} is deprecated and will be removed on ${model.deprecation.date}${model.deprecation.replacement ? `; use ${model.deprecation.replacement}` : ''}`,
    ...(model.deprecation.replacement ? { replacement: model.deprecation.replacement } : {}),
  };
  return {
    resolutions: [...resolutions].sort((a, b) => RESOLUTIONS.indexOf(a) - RESOLUTIONS.indexOf(b)),
    defaultResolution,
    qualities: [...qualities].sort((a, b) => QUALITIES.indexOf(a) - QUALITIES.indexOf(b)),
    ...(model.defaultQuality ? { defaultQuality: model.defaultQuality } : {}),
    safeMode: NO_NEW_CONTENT_KINDS.has(model.engine) ? 'no-new-content' : venice ? 'upstream' : 'classifier',
    enhancePrompt: venice,
    promptOptimizationThinking: venice,
    nativeResolution: venice,
    ...(deprecation ? { deprecation } : {}),
  };
}
