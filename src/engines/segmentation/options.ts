import { z } from 'zod';

/**
 * `models.<id>.options` for the segmentation engine: which segmentation model it runs. The default model
 * is the shared one (`segmenterResource`); another name gets its own resource, started on first use.
 *
 * @example "bg-remove": { "engine": "segmentation", "type": "background-removal",
 *                          "options": { "segmentationModel": "isnet-quantized" } }
 */
export const segmentationEngineOptionsSchema = z
  .object({
    /** A built-in model (`isnet`, `isnet-quantized`) or a name from the `segmentation` block. */
    segmentationModel: z.string().min(1).optional(),
  })
  .strict();
export type SegmentationEngineOptions = z.infer<typeof segmentationEngineOptionsSchema>;
