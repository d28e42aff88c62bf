import { z } from 'zod';
import { MAX_INPUT_PIXELS, MIN_INPUT_PIXELS } from '../../imaging/raw-image.js';

/**
 * The settings every remote backend shares, read from a model's `options` in the config file. Each
 * backend extends this schema with its own fields (ComfyUI's workflow, OpenAI's model name, ...).
 *
 * @example
 * "options": {
 *   "endpoints": [{ "url": "http://gpu-1:8188" }, { "url": "http://gpu-2:8188", "name": "gpu-2" }],
 *   "timeoutMs": 180000, "retries": 2
 * }
 */
export const endpointSchema = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'Expected an http(s) URL for url' }),
    /** Sent as `Authorization: Bearer <apiKey>`; absent for servers without auth (a ComfyUI on a private network). */
    apiKey: z.string().min(1).optional(),
    /** The endpoint's label in metrics and logs; defaults to `<model>#<index>` so URLs stay out of /metrics. */
    name: z
      .string()
      .regex(/^[A-Za-z0-9._:#-]{1,64}$/)
      .optional(),
    /** Calls sent at the same time at most; further calls wait for a slot (queue time). */
    maxConcurrent: z.number().int().positive().max(1024).default(4),
  })
  .strict();

export type EndpointConfig = z.infer<typeof endpointSchema>;

export const remoteOptionsShape = {
  endpoints: z.array(endpointSchema).max(64).default([]),
  /**
   * Time allowed for one attempt on one endpoint, upload to downloaded result. Default and ceiling: the
   * model's own `timeoutMs`, which bounds the whole run, retries and queueing at the endpoints included.
   */
  timeoutMs: z.number().int().positive().max(3_600_000).optional(),
  /** Extra attempts after a connection error, 429 or 503 (never after another 4xx or 5xx). */
  retries: z.number().int().min(0).max(10).default(2),
  retryBaseDelayMs: z.number().int().min(1).max(60_000).default(250),
  retryMaxDelayMs: z.number().int().min(1).max(300_000).default(5_000),
  /** 0 turns health checks off (endpoints are then judged only by their calls). */
  healthCheckIntervalMs: z.number().int().min(0).max(3_600_000).default(15_000),
  healthCheckTimeoutMs: z.number().int().positive().max(120_000).default(5_000),
  /** Failures in a row that open an endpoint's circuit, and how long it stays open. */
  breakerFailureThreshold: z.number().int().positive().max(1_000).default(5),
  breakerOpenMs: z.number().int().positive().max(3_600_000).default(30_000),
  /** Input images are scaled down (never up) to at most this many pixels before sending. */
  maxPixels: z.number().int().min(MIN_INPUT_PIXELS).max(MAX_INPUT_PIXELS).optional(),
  /** Sent image sides are rounded to a multiple of this (latent models need 8 or 16). */
  multipleOf: z.number().int().min(1).max(128).optional(),
  /** Largest encoded upload per image; larger images are scaled down until they fit. */
  maxUploadBytes: z.number().int().min(65_536).optional(),
  /** Width of the inward feathering at mask edges, as a fraction of the image's shorter side. */
  maskFeather: z.number().min(0).max(0.1).default(0.003),
};

/** Per-backend defaults for the image settings, where the backend's models differ. */
export interface ImageDefaults {
  maxPixels: number;
  multipleOf: number;
  maxUploadBytes: number;
}

export const sharedRemoteSchema = z.object(remoteOptionsShape);
export type RemoteOptions = z.infer<typeof sharedRemoteSchema>;
