import { readFileSync } from 'node:fs';
import { configSchema, type modelConfigSchema, type Config, type ConfigInput, type ModelConfig } from './schema.js';
import type { z } from 'zod';

/**
 * The models every server has unless the config file redefines them. Prices:
 * `firered-image-edit` and `qwen-edit` $0.04 as in Venice's docs, `local-edit` $0.01, background removal $0.02 (Stability's price).
 * `firered-image-edit` and `qwen-edit` have no backend until the operator configures one (see docs/backends.md), so they
 * are listed offline until then.
 */
const DEFAULT_API_MODELS: Record<string, z.input<typeof modelConfigSchema>> = {
  // Venice's default edit model since 2026; like qwen-edit, offline here until a backend serves it.
  'firered-image-edit': {
    engine: 'comfyui',
    displayName: 'FireRed Edit',
    priceUsd: 0.04,
    aspectRatios: ['auto', '1:1', '3:2', '2:3', '4:3', '3:4', '16:9', '9:16', '21:9', '4:5'],
    options: {},
  },
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
  // Venice's model id. Local super-resolution (esrgan-medium at 2x, esrgan-thick at 4x, Real-ESRGAN; int8; see src/engines/super-resolution).
  upscaler: {
    engine: 'super-resolution',
    type: 'upscale',
    displayName: 'Upscaler (ESRGAN, CPU)',
    priceUsd: 0.02,
    upscalePricesUsd: { x2: 0.02, x4: 0.08 },
    combineImages: false,
    // Enlarging 1 MP to 16 MP on two cores takes minutes (bench/upscale/NOTES.md#speed-at-512-x-512-to-2048-x-2048); one at a time, a long timeout.
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

/** A configuration as read from JSON or the environment, before the schema has checked it. */
type RawConfig = { [key: string]: unknown };

const flag = (v: string) => v === '1' || v === 'true';
const text = (v: string) => v;

/** Settings that can come from RETOUCH_* variables: the variable, the setting's path, how to read it. */
const ENV_SETTINGS: Array<[variable: string, path: string, read: (value: string) => unknown]> = [
  ['RETOUCH_HOST', 'host', text],
  ['RETOUCH_PORT', 'port', Number],
  ['RETOUCH_DATA_DIR', 'dataDir', text],
  ['RETOUCH_LOG_LEVEL', 'logLevel', text],
  ['RETOUCH_DEFAULT_MODEL', 'defaultEditModel', text],
  ['RETOUCH_FETCH_ALLOW', 'inputs.fetch.allow', splitList],
  ['RETOUCH_RATE_LIMIT_RPM', 'rateLimits.default', (v) => ({ requestsPerMinute: Number(v) })],
  ['RETOUCH_RATE_LIMITS', 'rateLimits.enabled', (v) => v !== 'off' && v !== 'false'],
  ['RETOUCH_WARM_UP', 'workers.warmUpSegmentation', flag],
  ['RETOUCH_UNLOAD_IDLE_S', 'workers.unloadIdleSeconds', Number],
  ['RETOUCH_DATABASE_URL', 'database.url', text],
  ['RETOUCH_REDIS_URL', 'redis.url', text],
  ['RETOUCH_REDIS_PREFIX', 'redis.keyPrefix', text],
  ['RETOUCH_BOOTSTRAP_KEY', 'bootstrapKey', (v) => v !== 'false' && v !== '0'],
  ['RETOUCH_C2PA_SIGN', 'provenance.sign', (v) => v !== 'false' && v !== '0' && v !== 'off'],
  ['RETOUCH_C2PA_CERT', 'provenance.certificate', text],
  ['RETOUCH_C2PA_KEY', 'provenance.privateKey', text],
];

/** Sets `value` at a dotted `path` of `into`, creating the objects on the way. */
function setPath(into: RawConfig, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = into;
  for (const key of keys.slice(0, -1)) {
    if (!isPlainObject(node[key])) node[key] = {};
    node = node[key] as RawConfig;
  }
  node[keys[keys.length - 1]] = value;
}

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
  let fromFile: RawConfig = {};
  const filePath = options.filePath ?? env.RETOUCH_CONFIG;
  if (filePath) {
    try {
      fromFile = JSON.parse(readFileSync(filePath, 'utf8'));
    } catch (error) {
      problems.push(`RETOUCH_CONFIG (${filePath}): ${(error as Error).message}`);
    }
  }
  const fromEnv: RawConfig = {};
  for (const [name, path, read] of ENV_SETTINGS) {
    const value = env[name];
    if (value !== undefined && value !== '') setPath(fromEnv, path, read(value));
  }
  const merged = deepMerge(deepMerge(fromFile, fromEnv), (options.overrides ?? {}) as RawConfig);
  merged.models = { ...DEFAULT_API_MODELS, ...((merged.models as RawConfig | undefined) ?? {}) };

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

function isPlainObject(value: unknown): value is RawConfig {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepMerge(base: RawConfig, over: RawConfig): RawConfig {
  const out: RawConfig = { ...base };
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
