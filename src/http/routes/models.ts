import type { FastifyInstance } from 'fastify';
import { formatUsd } from '../../accounts/money.js';
import { pricingSpec } from '../../accounts/pricing.js';
import type { ModelEntry } from '../../engines/model-entry.js';
import type { AppServices } from '../../services.js';
import { modelsQuerySchema } from '../schemas.js';
import { validate } from '../validate.js';

/** The server's start, used as every model's `created` time (the registry is built at start). */
const startedAt = Math.floor(Date.now() / 1000);

/**
 * GET /api/v1/models[?type=inpaint]: Venice's list shape. Like Venice's, this discovery endpoint answers
 * without a key. A model whose engine is not ready (no backend configured, model data missing, backend
 * unhealthy) is listed with `offline: true` and the reason.
 */
export function registerModels(app: FastifyInstance, services: AppServices): void {
  const doc = {
    summary: 'List models with pricing, constraints and availability',
    query: modelsQuerySchema,
    responses: { '200': "Venice's model list shape" },
  };
  app.get('/api/v1/models', { config: { doc } }, async (request) => {
    const query = validate(modelsQuerySchema, request.query);
    const type = query.type === 'all' ? undefined : query.type;
    return {
      object: 'list',
      type: query.type ?? 'all',
      data: services.models.list(type).map(describeModel),
    };
  });
}

function describeModel(model: ModelEntry) {
  const status = model.engine.status();
  const { traits } = model;
  const usd = (micros: number) => ({ usd: Number(formatUsd(micros)) });
  return {
    id: model.id,
    object: 'model',
    created: startedAt,
    owned_by: 'retouch',
    type: model.type,
    model_spec: {
      name: model.displayName,
      privacy: 'private',
      ...(model.aliasOf ? { aliasOf: model.aliasOf } : {}),
      pricing: model.upscalePriceMicros
        ? { upscale: { '2x': usd(model.upscalePriceMicros[2]), '4x': usd(model.upscalePriceMicros[4]) } }
        : pricingSpec(model.prices, model.type === 'inpaint' ? 'inpaint' : 'background_removal'),
      constraints: {
        aspectRatios: model.constraints.aspectRatios,
        promptCharacterLimit: model.constraints.promptCharacterLimit,
        combineImages: model.constraints.combineImages,
        resolutions: traits.resolutions,
        // Local engines keep the input's size when no resolution is asked for: "input" says so.
        defaultResolution: traits.defaultResolution ?? 'input',
        ...(traits.qualities.length > 0 ? { qualities: traits.qualities } : {}),
        ...(traits.defaultQuality ? { defaultQuality: traits.defaultQuality } : {}),
        outputFormats: ['png', 'jpeg', 'webp'],
      },
      capabilities: {
        engine: model.engine.kind,
        safeMode: traits.safeMode,
        supportsEnhancePrompt: traits.enhancePrompt,
        supportsOptimizePromptThinking: traits.promptOptimizationThinking,
      },
      ...(traits.deprecation
        ? {
            deprecation: {
              autoRemap: false,
              date: traits.deprecation.date,
              removesAt: traits.deprecation.date,
              ...(traits.deprecation.replacement ? { replacementModelId: traits.deprecation.replacement } : {}),
            },
          }
        : {}),
      offline: !status.online,
      ...(status.online ? {} : { offlineReason: status.reason }),
      beta: model.beta,
      ...(model.engine.describe?.() ?? {}),
    },
  };
}
