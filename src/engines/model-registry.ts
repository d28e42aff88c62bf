import type { z } from 'zod';
import type { Config, ModelConfig } from '../config/schema.js';
import { priceMicros, upscalePriceMicros } from '../config/load.js';
import type { Engine, EngineStatus, ModelEntry } from './engine.js';
import type { EngineContext } from './context.js';

/**
 * An engine kind that can be named in the config (`"engine": "comfyui"`). Its `optionsSchema` validates
 * the model's `options` block at start, so a typo in a workflow path is found before the first request.
 */
export interface EngineFactory<Options = unknown> {
  kind: string;
  optionsSchema: z.ZodType<Options>;
  create(options: Options, context: EngineContext, modelId: string): Engine;
}

/**
 * An engine kind that is not available in this build or on this machine. It is honest about it: listed
 * offline, and every run is refused by the gateway with 503 before any work.
 */
export class UnavailableEngine implements Engine {
  constructor(
    readonly kind: string,
    private readonly reason: string,
  ) {}
  status(): EngineStatus {
    return { online: false, reason: this.reason };
  }
  run(): Promise<never> {
    return Promise.reject(new Error(`engine ${this.kind} is unavailable: ${this.reason}`));
  }
  async close(): Promise<void> {}
}

export class ModelRegistry {
  constructor(
    private readonly entries: Map<string, ModelEntry>,
    private readonly config: Config,
  ) {}

  get(id: string): ModelEntry | undefined {
    return this.entries.get(id);
  }

  list(type?: ModelEntry['type']): ModelEntry[] {
    return [...this.entries.values()].filter((m) => !type || m.type === type);
  }

  /** The model used when an edit request names none: the configured default, else qwen-edit when online, else local-edit. */
  defaultEditModel(): string {
    if (this.config.defaultEditModel) return this.config.defaultEditModel;
    const qwen = this.entries.get('qwen-edit');
    if (qwen?.engine.status().online) return 'qwen-edit';
    return this.entries.has('local-edit') ? 'local-edit' : 'qwen-edit';
  }

  backgroundRemovalModel(): string {
    return this.config.backgroundRemovalModel;
  }

  upscaleModel(): string {
    return this.config.upscaleModel;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.entries.values()].map((m) => m.engine.close()));
  }
}

/** Builds every configured model; all option problems are collected and thrown together. */
export function buildModelRegistry(
  config: Config,
  context: EngineContext,
  factories: ReadonlyArray<EngineFactory<any>>,
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
    entries.set(id, toEntry(id, model, factory.create(options.data, context, id)));
  }
  if (problems.length > 0) {
    throw new Error(`Invalid model configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return new ModelRegistry(entries, config);
}

function toEntry(id: string, model: ModelConfig, engine: Engine): ModelEntry {
  return {
    id,
    type: model.type,
    displayName: model.displayName ?? id,
    engine,
    priceMicros: priceMicros(model),
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
  };
}
