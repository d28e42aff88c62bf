import type { Config, ModelConfig } from '../config/schema.js';
import { priceListOf } from '../accounts/pricing.js';
import { resolveModelTraits } from './model-traits.js';
import { upscalePriceMicros } from '../config/load.js';
import { ApiError } from '../errors.js';
import type { EngineContext } from './context.js';
import type { Engine } from './engine.js';
import type { EngineFactory } from './engine-factory.js';
import type { KindTraits } from './kind-traits.js';
import type { ModelEntry } from './model-entry.js';
import { MODEL_TYPES, type ModelType } from '../operations/image-operations.js';

/**
 * The API's models: each configured model id bound to an engine built by its kind's factory, with its
 * price, constraints, capacity and policy. Built once at start; every option problem is reported at once.
 */

export class ModelRegistry {
  constructor(
    private readonly entries: Map<string, ModelEntry>,
    private readonly config: Config,
  ) {}

  /** A model by id or alias; a name of the compatibility mapping is the model it stands for, under that name. */
  get(id: string): ModelEntry | undefined {
    const entry = this.entries.get(id);
    if (entry || !Object.hasOwn(this.config.compatibilityMapping, id)) return entry;
    const target = this.entries.get(this.config.compatibilityMapping[id] ?? this.defaultEditModel());
    return target && { ...target, id, aliasOf: target.aliasOf ?? target.id };
  }

  /**
   * Venice's `compatibility_mapping` of a type: every alias (configured on a model, or a name of the
   * config's `compatibilityMapping`) and the model id it resolves to now.
   */
  compatibilityMapping(type: ModelEntry['type'] = 'inpaint'): Record<string, string> {
    const mapping: Record<string, string> = {};
    for (const name of Object.keys(this.config.compatibilityMapping)) {
      const model = this.get(name);
      if (model?.aliasOf && model.type === type) mapping[name] = model.aliasOf;
    }
    for (const model of this.list(type)) if (model.aliasOf) mapping[model.id] = model.aliasOf;
    return mapping;
  }

  list(type?: ModelType): ModelEntry[] {
    return [...this.entries.values()].filter((m) => !type || m.type === type);
  }

  /**
   * The model used when an edit request names none: the configured default, else the first configured
   * edit model whose kind serves edits and is online now, else the first such model (answering 503
   * until its backend is up). The built-in models list the generative ones before local-edit.
   */
  defaultEditModel(): string {
    if (this.config.defaultEditModel) return this.config.defaultEditModel;
    const editors = this.list('inpaint').filter((m) => !m.aliasOf && m.kindTraits.operations.includes('edit'));
    const chosen = editors.find((m) => m.engine.status().online) ?? editors[0];
    if (!chosen) throw new ApiError('INVALID_PARAMETERS', 'No edit model is configured on this server; name one in "model"');
    return chosen.id;
  }

  /**
   * The model a request of this type runs when it names none: the setting the operation table names for
   * the type (src/operations/image-operations.ts); only the edit default may be unset, and then falls back.
   */
  defaultModel(type: ModelType): string {
    return this.config[MODEL_TYPES[type].defaultModelSetting] ?? this.defaultEditModel();
  }

  /** Warms every engine that offers it (serve calls this so the first request does not load models). */
  async warmUp(): Promise<void> {
    await Promise.all([...this.entries.values()].filter((m) => !m.aliasOf).map((m) => m.engine.warmUp?.()));
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.entries.values()].filter((m) => !m.aliasOf).map((m) => m.engine.close()));
  }
}

/** Builds every configured model; all option problems are collected and thrown together. */
export function buildModelRegistry(
  config: Config,
  context: EngineContext,
  factories: ReadonlyArray<EngineFactory<unknown>>,
): ModelRegistry {
  const byKind = new Map(factories.map((f) => [f.kind, f]));
  const problems: string[] = [];
  const entries = new Map<string, ModelEntry>();
  for (const [id, model] of Object.entries(config.models)) {
    const factory = byKind.get(model.engine);
    if (!factory) {
      problems.push(`models.${id}.engine: unknown engine "${model.engine}" (known: ${[...byKind.keys()].join(', ')})`);
      continue;
    }
    const options = factory.optionsSchema.safeParse(model.options);
    if (!options.success) {
      for (const issue of options.error.issues) {
        problems.push(`models.${id}.options.${issue.path.join('.')}: ${issue.message}`);
      }
      continue;
    }
    let entry: ModelEntry;
    try {
      entry = toEntry(id, model, factory.create(options.data, context, id), factory.traits);
    } catch (error) {
      problems.push((error as Error).message);
      continue;
    }
    entries.set(id, entry);
    // An alias is the same model under another id: same engine, queue (keyed by the configured id) and traits.
    for (const alias of model.aliases) {
      if (alias in config.models || entries.has(alias)) problems.push(`models.${id}.aliases: "${alias}" is already a model id`);
      else entries.set(alias, { ...entry, id: alias, aliasOf: id });
    }
  }
  if (problems.length > 0) {
    throw new Error(`Invalid model configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return new ModelRegistry(entries, config);
}

function toEntry(id: string, model: ModelConfig, engine: Engine, kindTraits: KindTraits): ModelEntry {
  return {
    id,
    type: model.type,
    displayName: model.displayName ?? id,
    engine,
    kindTraits,
    priceMicros: priceListOf(model).baseMicros,
    prices: priceListOf(model),
    traits: resolveModelTraits(id, model, kindTraits),
    ...(model.type === 'upscale' ? { upscalePriceMicros: upscalePriceMicros(model) } : {}),
    constraints: {
      aspectRatios: [...model.aspectRatios],
      promptCharacterLimit: model.promptCharacterLimit,
      combineImages: model.combineImages,
    },
    beta: model.beta,
    blockedCategories: [...model.blockedCategories],
    capacity: { ...model.capacity },
    timeoutMs: model.timeoutMs,
    enlargeWith: model.enlargeWith,
  };
}
