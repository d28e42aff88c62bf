import { z } from 'zod';
import { remoteOptionsShape } from '../remote-kit/options.js';

/**
 * The `openai` engine kind: a server with OpenAI's `POST /v1/images/edits`. Options, besides the shared
 * remote settings: `model` (the backend's model name, required), `size`, `responseFormat`, `sendSeed` and
 * `extraFields` (see OpenAiSettings). Endpoint URLs are API bases with `/v1`.
 *
 * @example config
 * "qwen-edit-vllm": { "engine": "openai", "priceUsd": 0.04, "options": {
 *   "endpoints": [{ "url": "http://gpu-1:8091/v1" }], "model": "Qwen/Qwen-Image-Edit-2509", "size": "input", "sendSeed": true } }
 */
export const openAiOptionsSchema = z
  .object({
    ...remoteOptionsShape,
    model: z.string().min(1),
    size: z
      .string()
      .regex(/^(omit|input|auto|\d{2,5}x\d{2,5})$/, 'Expected omit, input, auto or WIDTHxHEIGHT for size')
      .default('omit'),
    responseFormat: z.enum(['omit', 'b64_json', 'url']).default('omit'),
    sendSeed: z.boolean().default(false),
    extraFields: z.record(z.string().min(1), z.string()).default({}),
  })
  .strict();

export type OpenAiOptions = z.output<typeof openAiOptionsSchema>;
