import { z } from 'zod';

/** `models.<id>.options` for the local-edit engine. */
export const localEditOptionsSchema = z
  .object({
    /** The most instructions one prompt may hold, so a prompt cannot queue unbounded CPU work. */
    maxSteps: z.number().int().min(1).max(64).default(12),
  })
  .strict();

export type LocalEditOptions = z.infer<typeof localEditOptionsSchema>;
