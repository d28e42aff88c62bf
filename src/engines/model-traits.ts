import type { ModelConfig } from '../config/schema.js';
import { QUALITIES, RESOLUTIONS, type Quality, type Resolution } from '../config/model-traits.js';
import type { KindTraits, UpstreamField } from './kind-traits.js';

/**
 * What a model honours beyond its constraints, resolved once at start from its config and its engine
 * kind's declared traits: resolution tiers, qualities, how `safe_mode` is kept, and whether prompt enhancement and the
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
   * classifies the output and blurs what is flagged), `no-new-content` (a kind that declares it
   * invents nothing, only transforming the client's own pixels, so there is nothing new to classify).
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

/**
 * A model's traits: its config's choices, with defaults from what its engine kind declares (see
 * kind-traits.ts), so that a new kind behaves by its declaration without any list here naming it.
 */
export function resolveModelTraits(id: string, model: ModelConfig, kind: KindTraits): ModelTraits {
  const upstream = (field: UpstreamField) => kind.upstreamFields.includes(field);
  // A kind that keeps the input's size can be fitted to any tier (shrinking only; enlarging is
  // super-resolution's work) and keeps the size when none is asked; a generative backend answers at 1K
  // unless the operator declares more.
  const keepsSize = kind.keepsInputSize;
  // An upscale model's output size is its input's times the scale: resolution tiers do not apply to it.
  const upscaler = model.type === 'upscale';
  const resolutions = upscaler ? [] : (model.resolutions ?? (keepsSize ? [...RESOLUTIONS] : ['1K']));
  const defaultResolution = upscaler
    ? null
    : model.defaultResolution === undefined
      ? keepsSize
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
    safeMode: !kind.newContent ? 'no-new-content' : upstream('safe_mode') ? 'upstream' : 'classifier',
    enhancePrompt: upstream('enhance_prompt'),
    promptOptimizationThinking: upstream('disable_prompt_optimization_thinking'),
    nativeResolution: upstream('resolution'),
    ...(deprecation ? { deprecation } : {}),
  };
}
