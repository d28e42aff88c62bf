import { z } from 'zod';
import { remoteOptionsShape } from '../remote-kit/options.js';
import { loadWorkflow, SHIPPED_WORKFLOW, type LoadedWorkflow } from './workflow.js';

/**
 * The `comfyui` engine kind. Options (in the model's `options`), besides the shared remote settings:
 * - `workflow`: an API-format workflow file (default: the shipped Qwen-Image-Edit workflow);
 * - `mapping`: where prompt, images, seed and size go in it (default: `<workflow>.mapping.json`);
 * - `historyPollMs`: the /history polling period when the websocket is unavailable.
 *
 * @example config
 * "qwen-edit": { "engine": "comfyui", "priceUsd": 0.04,
 *   "options": { "endpoints": [{ "url": "http://gpu-1:8188", "maxConcurrent": 1 }] } }
 */
export const comfyUiOptionsSchema = z
  .object({
    ...remoteOptionsShape,
    workflow: z.string().min(1).default(SHIPPED_WORKFLOW),
    mapping: z.record(z.string(), z.unknown()).optional(),
    historyPollMs: z.number().int().min(10).max(60_000).default(250),
  })
  .strict()
  .transform((options, ctx) => {
    let loaded: LoadedWorkflow;
    try {
      loaded = loadWorkflow(options.workflow, options.mapping);
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        path: ['workflow'],
        message: `cannot use ${options.workflow}: ${(error as Error).message}`,
      });
      return z.NEVER;
    }
    return { ...options, loaded };
  });

export type ComfyUiOptions = z.output<typeof comfyUiOptionsSchema>;
