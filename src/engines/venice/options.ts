import { z } from 'zod';
import { remoteOptionsShape } from '../remote-kit/options.js';

/**
 * The `venice` engine kind: Venice's API (or another server with it) as an upstream. Options, besides
 * the shared remote settings: `model`, the upstream's model id (default: this model's own id). Endpoint
 * URLs are API bases (`https://api.venice.ai/api/v1`), each with the operator's `apiKey`.
 *
 * @example config
 * "qwen-edit": { "engine": "venice", "priceUsd": 0.04, "options": {
 *   "endpoints": [{ "url": "https://api.venice.ai/api/v1", "apiKey": "..." }] } }
 */
export const veniceOptionsSchema = z
  .object({
    ...remoteOptionsShape,
    model: z.string().min(1).optional(),
  })
  .strict();

export type VeniceOptions = z.output<typeof veniceOptionsSchema>;
