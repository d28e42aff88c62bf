import { readFileSync } from 'node:fs';
import { configSchema, type modelConfigSchema, type Config, type ConfigInput, type ModelConfig } from './schema.js';
import type { z } from 'zod';

/**
 * The models every server has unless the config file redefines them. Prices:
 * `qwen-edit` $0.04 as in Venice's docs, `local-edit` $0.01, background removal $0.02 (Stability's price).
 * `qwen-edit` has no backend until the operator configures one (see README, "Generative backends"), so it
 * is listed offline until then.
 */
const DEFAULT_API_MODELS: Record<string, z.input<typeof modelConfigSchema>> = {
  'qwen-edit': {
    engine: 'comfyui',
    displayName: 'Qwen Image Edit',
    priceUsd: 0.04,
    aspectRatios: ['auto', '1:1', '3:2', '2:3', '4:3', '3:4', '16:9', '9:16', '21:9', '4:5'],
    promptCharacterLimit: 32_768,
    options: {},
  },
  'local-edit': {
    engine: 'local-edit',
    displayName: 'Local Edit (CPU)',
    priceUsd: 0.01,
    aspectRatios: ['auto', '1:1', '3:2', '2:3', '4:3', '3:4', '16:9', '9:16', '21:9', '4:5'],
    promptCharacterLimit: 32_768,
  },
  'bg-remove': {
    engine: 'segmentation',
    type: 'background-removal',
    displayName: 'Background Removal (ISNet, CPU)',
    priceUsd: 0.02,
    combineImages: false,
  },
  // Venice's model id. Local super-resolution (esrgan-thick / Real-ESRGAN, see src/engines/super-resolution).
  upscaler: {
    engine: 'super-resolution',
    type: 'upscale',
    displayName: 'Upscaler (ESRGAN, CPU)',
    priceUsd: 0.02,
    upscalePricesUsd: { x2: 0.02, x4: 0.08 },
    combineImages: false,
    // Enlarging 1 MP to 16 MP on two cores takes minutes (bench/RESULTS.md); one at a time, a long timeout.
    capacity: { maxConcurrent: 1, maxQueue: 8, queueTimeoutMs: 120_000 },
    timeoutMs: 600_000,
  },
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Settings that can come from RETOUCH_* variables, with how to read each. */
const ENV_SETTINGS: Array<[string, (value: string, into: Record<string, any>) => void]> = [
  ['RETOUCH_HOST', (v, c) => (c.host = v)],
  ['RETOUCH_PORT', (v, c) => (c.port = Number(v))],
  ['RETOUCH_DATA_DIR', (v, c) => (c.dataDir = v)],
  ['RETOUCH_LOG_LEVEL', (v, c) => (c.logLevel = v)],
  ['RETOUCH_DEFAULT_MODEL', (v, c) => (c.defaultEditModel = v)],
  ['RETOUCH_FETCH_ALLOW', (v, c) => (((c.inputs ??= {}).fetch ??= {}).allow = splitList(v))],
  ['RETOUCH_RATE_LIMIT_RPM', (v, c) => ((c.rateLimits ??= {}).default = { requestsPerMinute: Number(v) })],
  ['RETOUCH_RATE_LIMITS', (v, c) => ((c.rateLimits ??= {}).enabled = v !== 'off' && v !== 'false')],
  ['RETOUCH_WARM_UP', (v, c) => ((c.workers ??= {}).warmUpSegmentation = v === '1' || v === 'true')],
  ['RETOUCH_DATABASE_URL', (v, c) => ((c.database ??= {}).url = v)],
  ['RETOUCH_REDIS_URL', (v, c) => ((c.redis ??= {}).url = v)],
  ['RETOUCH_REDIS_PREFIX', (v, c) => ((c.redis ??= {}).keyPrefix = v)],
  ['RETOUCH_BOOTSTRAP_KEY', (v, c) => (c.bootstrapKey = v !== 'false' && v !== '0')],
];

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Builds the frozen configuration from (lowest to highest priority) the schema's defaults, the built-in
 * models, the JSON file named by RETOUCH_CONFIG (or `filePath`), the environment, and `overrides`
 * (used by tests). Every problem is reported at once in a ConfigError.
 */
export function loadConfig(options: { env?: Env; filePath?: string; overrides?: ConfigInput } = {}): Config {
  const env = options.env ?? process.env;
  const problems: string[] = [];
  let fromFile: Record<string, any> = {};
  const filePath = options.filePath ?? env.RETOUCH_CONFIG;
  if (filePath) {
    try {
      fromFile = JSON.parse(readFileSync(filePath, 'utf8'));
    } catch (error) {
      problems.push(`RETOUCH_CONFIG (${filePath}): ${(error as Error).message}`);
    }
  }
  const fromEnv: Record<string, any> = {};
  for (const [name, apply] of ENV_SETTINGS) {
    const value = env[name];
    if (value !== undefined && value !== '') apply(value, fromEnv);
  }
  const merged = deepMerge(deepMerge(fromFile, fromEnv), (options.overrides ?? {}) as Record<string, any>);
  merged.models = { ...DEFAULT_API_MODELS, ...(merged.models ?? {}) };

  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  return deepFreeze(parsed.data);
}

export function priceMicros(model: ModelConfig): number {
  return Math.round(model.priceUsd * 1_000_000);
}

/** An upscale model's price at 2x and 4x in micro-dollars: as configured, else priceUsd and four times it. */
export function upscalePriceMicros(model: ModelConfig): { 2: number; 4: number } {
  const prices = model.upscalePricesUsd ?? { x2: model.priceUsd, x4: model.priceUsd * 4 };
  return { 2: Math.round(prices.x2 * 1_000_000), 4: Math.round(prices.x4 * 1_000_000) };
}

function isPlainObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepMerge(base: Record<string, any>, over: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    out[key] = isPlainObject(value) && isPlainObject(out[key]) ? deepMerge(out[key], value) : value;
  }
  return out;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
