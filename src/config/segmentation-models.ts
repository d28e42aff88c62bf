import { z } from 'zod';

/**
 * How operators describe segmentation models in the config file's `segmentation` block, and how a model
 * entry (`models.bg-remove.options`) picks one. Three models are built in (see segmentation-models.ts); any ONNX
 * export of the U2-Net / ISNet / BiRefNet family can be added by path:
 *
 * @example
 * // RETOUCH_CONFIG file
 * {
 *   "segmentation": {
 *     "birefnet": { "path": "/srv/models/BiRefNet-general-epoch_244.onnx", "inputSize": 1024,
 *                   "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225], "activation": "sigmoid" },
 *     "u2net": { "path": "/srv/models/u2net.onnx", "inputSize": 320,
 *                "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225], "activation": "minmax" }
 *   },
 *   "models": { "bg-remove": { "engine": "segmentation", "type": "background-removal", "priceUsd": 0.02,
 *                              "options": { "segmentationModel": "birefnet" } } }
 * }
 */

const triple = z.tuple([z.number(), z.number(), z.number()]);

/** What the model's first output holds, and so how it becomes a 0..1 matte. */
export const ACTIVATIONS = ['identity', 'sigmoid', 'minmax'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** A model file registered by the operator. Pixel values are scaled to 0..1, then `(x - mean) / std`. */
const fileModelSchema = z.object({
  path: z.string().min(1),
  /** Side of the square input the model expects (320 for U2-Net, 1024 for ISNet and BiRefNet). */
  inputSize: z.number().int().min(16).max(4096),
  mean: triple.default([0.5, 0.5, 0.5]),
  std: triple.refine((s) => s.every((v) => v > 0), 'std values must be positive').default([1, 1, 1]),
  /** Which output holds the finest prediction; rembg's exports put it first. */
  outputIndex: z.number().int().min(0).default(0),
  /** `identity` when the output is already 0..1, `sigmoid` for logits (BiRefNet), `minmax` for U2-Net/ISNet raw maps. */
  activation: z.enum(ACTIVATIONS).default('minmax'),
  /** Optional SHA-256 (hex) of the file; checked when the model loads. */
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/i)
    .optional(),
});

/** The models every build has (segmentation-models.ts); the config may not redefine them. */
const BUILTIN_MODEL_NAMES = ['isnet', 'isnet-int8', 'isnet-quantized'] as const;

/** The config file's `segmentation` block: extra models by name. */
export const segmentationConfigSchema = z
  .record(z.string().regex(/^[a-z0-9][a-z0-9._-]*$/), fileModelSchema)
  .refine((models) => !BUILTIN_MODEL_NAMES.some((name) => name in models), {
    message: `built-in segmentation models (${BUILTIN_MODEL_NAMES.join(', ')}) cannot be redefined; choose another name`,
  })
  .default({});

/** The model used when nothing names one: chosen by measured quality per second (bench/bg/NOTES.md#built-in-models-quality-per-second). */
export const DEFAULT_SEGMENTATION_MODEL = 'isnet-int8';
