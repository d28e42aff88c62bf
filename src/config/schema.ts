import { z } from 'zod';
import { modelTraitsShape } from './model-traits.js';
import { segmentationConfigSchema } from './segmentation-models.js';
import { MODEL_TYPE_NAMES } from '../operations/image-operations.js';
import { POLICY_CATEGORY_NAMES, type PolicyCategory } from '../policy/index.js';

/**
 * The one configuration schema. Every setting has a default, so a server starts with no file at all
 * (SQLite under ./data, local engines, 127.0.0.1:8080). An operator overrides settings with a JSON file
 * named by RETOUCH_CONFIG and with RETOUCH_* environment variables (see load.ts), in that order.
 */

const usd = z.number().min(0).max(1_000_000);
const positiveInt = z.number().int().positive();

export const ASPECT_RATIOS = ['auto', '1:1', '3:2', '2:3', '4:3', '3:4', '16:9', '9:16', '21:9', '4:5'] as const;

const capacitySchema = z.object({
  /** Engine runs of this model at the same time. */
  maxConcurrent: positiveInt.default(2),
  /** Requests waiting for a free slot; past this the API answers 503 at once. */
  maxQueue: z.number().int().min(0).default(16),
  /** How long a request may wait in the queue before it gets 503. */
  queueTimeoutMs: positiveInt.default(30_000),
});

/**
 * One model as the operator declares it. `engine` selects the engine kind; the engine's own settings
 * (endpoints, workflow, ...) sit in `options` and are validated by that engine's factory at start.
 */
/** Time allowed for one engine run of a model, retries included, unless its config says otherwise. */
export const DEFAULT_MODEL_TIMEOUT_MS = 120_000;

export const modelConfigSchema = z.object({
  engine: z.string().min(1),
  displayName: z.string().optional(),
  type: z.enum(MODEL_TYPE_NAMES).default('inpaint'),
  priceUsd: usd,
  /** Upscale models: the price at each effective scale (Venice: $0.02 at 2x, $0.08 at 4x). Default: priceUsd and 4x it. */
  upscalePricesUsd: z.object({ x2: usd, x4: usd }).optional(),
  aspectRatios: z.array(z.enum(ASPECT_RATIOS)).min(1).default(['auto']),
  promptCharacterLimit: z.number().int().min(1).max(32_768).default(32_768),
  combineImages: z.boolean().default(true),
  beta: z.boolean().default(false),
  /** Content-policy categories refused for this model; see src/policy. */
  blockedCategories: z
    .array(z.enum(POLICY_CATEGORY_NAMES as [PolicyCategory, ...PolicyCategory[]]))
    .default(['sexual', 'minors', 'violence']),
  capacity: capacitySchema.prefault({}),
  timeoutMs: positiveInt.default(DEFAULT_MODEL_TIMEOUT_MS),
  /**
   * How an answer is enlarged to OpenAI's `size` when the photo is smaller: Lanczos, or the server's
   * super-resolution networks (those of `upscaleModel`; Lanczos when they cannot run here).
   */
  enlargeWith: z.enum(['lanczos3', 'super-resolution']).default('lanczos3'),
  ...modelTraitsShape,
  options: z.record(z.string(), z.unknown()).default({}),
});

export type ModelConfig = z.infer<typeof modelConfigSchema>;

const rateLimitSchema = z.object({
  /** Requests per minute per key and route; the bucket holds this many tokens and refills continuously. */
  requestsPerMinute: positiveInt,
});

export const configSchema = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65_535).default(8080),
  dataDir: z.string().min(1).default('./data'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * Largest request body. Unset: the largest legal request, three images of `inputs.maxImageBytes` as
   * base64 plus 1 MiB of fields (about 101 MiB with the defaults); anything larger is refused as it streams.
   */
  bodyLimitBytes: positiveInt.optional(),
  /** Time to receive a whole request body; a body still arriving after this is cut off (408). */
  bodyTimeoutMs: positiveInt.default(60_000),

  inputs: z
    .object({
      /** Each image must be smaller than this (Venice: "under 25MB"). */
      maxImageBytes: positiveInt.default(25 * 1024 * 1024),
      fetch: z
        .object({
          /** Host names or CIDR ranges that URL inputs may reach even if private (tests, private deployments). */
          allow: z.array(z.string().min(1)).default([]),
          connectTimeoutMs: positiveInt.default(5_000),
          totalTimeoutMs: positiveInt.default(20_000),
          maxRedirects: z.number().int().min(0).max(10).default(3),
        })
        .prefault({}),
    })
    .prefault({}),

  /** The edit model used when a request names none; null means `firered-image-edit` or `qwen-edit` when online, else `local-edit`. */
  defaultEditModel: z.string().nullable().default(null),
  /** The model that serves /image/background-remove. */
  backgroundRemovalModel: z.string().default('bg-remove'),
  /** The model /image/upscale uses when a request names none (Venice's id for its upscaler). */
  upscaleModel: z.string().default('upscaler'),
  /**
   * Other APIs' model names and the edit model each stands for here (null: the default edit model), as
   * Venice's compatibility mapping: OpenAI apps send `gpt-image-1` and are served, on both APIs. A name
   * that is also a configured model id or alias is that model.
   */
  compatibilityMapping: z
    .record(z.string().regex(/^[a-z0-9][a-z0-9._-]*$/), z.string().nullable())
    .default({ 'gpt-image-1': null, 'gpt-image-1.5': null, 'gpt-image-1-mini': null, 'dall-e-2': null }),

  models: z.record(z.string().regex(/^[a-z0-9][a-z0-9._-]*$/), modelConfigSchema).default({}),

  rateLimits: z
    .object({
      enabled: z.boolean().default(true),
      default: rateLimitSchema.prefault({ requestsPerMinute: 60 }),
      routes: z.record(z.string(), rateLimitSchema).default({}),
    })
    .prefault({}),

  /**
   * Venice's error budget: more than `maxFailures` failed requests (4xx other than 429) of a key on a model
   * within `windowMs`, and that key and model get 429 until the window ends (shared across replicas).
   */
  errorBudget: z
    .object({
      enabled: z.boolean().default(true),
      maxFailures: positiveInt.default(50),
      windowMs: positiveInt.default(30_000),
    })
    .prefault({}),

  workers: z
    .object({
      /** Worker threads for CPU pixel work (inpainting, heavy local edits). 0 means one per core. */
      imaging: z.number().int().min(0).default(0),
      /** Worker threads running the segmentation model. 0 means sized for the machine. */
      segmentation: z.number().int().min(0).default(0),
      /**
       * Load the segmentation model when the server starts, not on the first request that needs it.
       * Off by default: the model's session costs several hundred MB of memory on a server that may
       * never remove a background (RETOUCH_WARM_UP=1 turns it on).
       */
      warmUpSegmentation: z.boolean().default(false),
      /**
       * Seconds a model's worker threads (segmentation, super-resolution, detectors) may sit idle before
       * they end, giving back the memory their sessions hold (about 0.4 GB for the upscaler, more for
       * ISNet); the next request loads the model again (seconds). 0 keeps them for the server's life
       * (RETOUCH_UNLOAD_IDLE_S). Measured in bench/upscale/NOTES.md#memory.
       */
      unloadIdleSeconds: z.number().int().min(0).default(300),
    })
    .prefault({}),

  /** Extra segmentation models, by name (see docs/background-removal.md); `models.bg-remove.options.segmentationModel` picks one. */
  segmentation: segmentationConfigSchema,

  idempotencyTtlHours: positiveInt.default(24),

  /** PostgreSQL for keys, balances and the ledger, shared by replicas; null keeps the SQLite file in dataDir. */
  database: z
    .object({
      url: z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'Expected a postgres:// URL')
        .nullable()
        .default(null),
      poolSize: positiveInt.max(200).default(10),
    })
    .prefault({}),
  /** Redis for what replicas share live (rate limits, idempotency locks, capacity); null keeps them in memory. */
  redis: z
    .object({
      url: z
        .string()
        .regex(/^rediss?:\/\//, 'Expected a redis:// URL')
        .nullable()
        .default(null),
      /** Prefix of every key, so that several deployments (or test runs) can share one Redis. */
      keyPrefix: z.string().max(100).default('retouch:'),
      /** A Redis call slower than this fails, and the request gets 503 (limits fail closed). */
      commandTimeoutMs: positiveInt.default(1_000),
    })
    .prefault({}),
  /**
   * How long a reservation, an idempotency lock or a capacity slot outlives a process that stopped renewing
   * it (a killed replica). Holders renew every third of it.
   */
  leaseMs: z.number().int().min(300).max(3_600_000).default(30_000),
  /**
   * Content Credentials (C2PA) on every answer, signed with the operator's certificate (docs/provenance.md).
   * Without `certificate` and `privateKey`, a local authority and signing certificate are made in
   * `dataDir/c2pa/` on first start: they prove integrity, not identity. XMP with the IPTC digital source
   * type is written either way.
   */
  provenance: z
    .object({
      sign: z.boolean().default(true),
      /** PEM file: the signing certificate, then its intermediates. */
      certificate: z.string().min(1).nullable().default(null),
      /** PEM file: the signing certificate's private key (EC P-256/P-384, Ed25519 or RSA). */
      privateKey: z.string().min(1).nullable().default(null),
      /** The organisation named in a self-made certificate. */
      organization: z.string().min(1).max(64).default('retouch'),
    })
    .refine((p) => (p.certificate === null) === (p.privateKey === null), {
      message: 'provenance.certificate and provenance.privateKey are set together',
    })
    .prefault({}),
  /** Create a first API key on a start with none, and print it once. */
  bootstrapKey: z.boolean().default(true),
  /** Credits given to that first key, so that a newcomer's first requests succeed. */
  bootstrapCreditsUsd: z
    .string()
    .regex(/^\d{1,9}(\.\d{1,6})?$/)
    .default('5'),
});

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
