import { z } from 'zod';
import { ASPECT_RATIOS } from '../config/schema.js';
import { UploadedFile } from '../inputs/uploaded-file.js';
import { MODEL_TYPE_NAMES } from '../operations/image-operations.js';
import { flag, quality, veniceEditFields, veniceObject } from './edit-fields.js';

/**
 * The request schemas of the three image routes, as Venice documents them, plus our extension fields
 * (marked in their descriptions). The routes validate with these and /openapi.json is generated from them,
 * so the two cannot drift apart. Unknown fields are refused with Venice's 400 (see edit-fields.ts).
 */

const PROMPT_MAX = 32_768;

export const uploadedFile = z.instanceof(UploadedFile).meta({ type: 'string', format: 'binary' });

/** An image as JSON sends it (base64, data URI or URL) or as multipart sends it (a file part). */
const imageInput = z
  .union([z.string().min(1, 'Expected an image as base64, a data URI or a URL'), uploadedFile])
  .meta({ description: 'Base64 string, data: URI or http(s) URL (JSON), or a file part (multipart)' });

export const prompt = z
  .string({ error: 'Expected a prompt string' })
  .min(1, 'Prompt must not be empty')
  .max(PROMPT_MAX)
  .meta({ description: 'Text instructions for the edit' });

export const modelName = z.string().min(1).max(100);

/**
 * A seed: a JSON integer, or its decimal digits (multipart sends every field as text). Not `z.coerce`,
 * which would read null, [], "" and " " as 0.
 */
export const seed = z
  .union(
    [
      z.number(),
      z
        .string()
        .regex(/^\d{1,10}$/, 'Expected an integer seed')
        .transform(Number),
    ],
    {
      error: 'Expected an integer seed',
    },
  )
  .pipe(
    z
      .number()
      .int('Expected an integer seed')
      .min(0)
      .max(2 ** 31 - 1),
  )
  .meta({ description: 'Extension: seed for models that sample' });

export const editBodySchema = veniceObject({
  image: imageInput,
  prompt,
  model: modelName.optional().meta({ description: 'Edit model ID (default qwen-edit when configured, else local-edit)' }),
  modelId: modelName.optional().meta({ description: 'Deprecated alias for model', deprecated: true }),
  aspect_ratio: z.enum(ASPECT_RATIOS).optional().meta({ description: 'Output ratio, for models that support it' }),
  ...veniceEditFields,
  seed: seed.optional(),
});

const LAYER_ROLES = ['auto', 'mask', 'overlay', 'background'] as const;

export const multiEditBodySchema = veniceObject({
  images: z
    .array(imageInput)
    .min(1, 'Expected 1 to 3 images')
    .max(3, 'Expected 1 to 3 images')
    .meta({ description: 'First image is the base image; the rest are edit layers or masks' }),
  prompt,
  // Venice's multi-edit takes only modelId: a `model` field is an unknown key there (400), as on Venice.
  modelId: modelName.optional().meta({ description: 'Edit model ID' }),
  layer_roles: z
    .array(z.enum(LAYER_ROLES))
    .max(2)
    .optional()
    .meta({ description: 'Extension: role of each layer after the base (mask, overlay, background, auto)' }),
  aspect_ratio: z.enum(ASPECT_RATIOS).optional().meta({ description: 'Output ratio, for models that support it' }),
  ...veniceEditFields,
  quality: quality.optional(),
  seed: seed.optional(),
});

export const backgroundRemoveBodySchema = veniceObject({
  image: imageInput.optional().meta({ description: 'Source image (file or base64); one of image or image_url' }),
  image_url: z
    .url({ protocol: /^https?$/, error: 'Expected an http(s) URL' })
    .optional()
    .meta({
      description: 'Public image URL to cut out; one of image or image_url',
    }),
  only_mask: flag.optional().meta({ description: 'Extension: return the alpha matte as a greyscale PNG' }),
  bg_color: z
    .string()
    .max(64)
    .optional()
    .meta({ description: 'Extension: composite onto this colour (#rrggbb or a CSS name) instead of transparency' }),
  output_format: veniceEditFields.output_format.meta({
    description: 'Extension: png (default) or webp keep the alpha; jpeg needs bg_color or only_mask',
  }),
}).refine((body) => (body.image === undefined) !== (body.image_url === undefined), {
  message: 'Provide exactly one of image or image_url',
  path: ['image'],
});

/**
 * /image/upscale. `scale` and `creativity` as Venice documents them (numbers arrive as strings in
 * multipart); Venice's enhancer fields are accepted so that its clients' bodies validate, and
 * `enhance: true` is refused by engines that have no enhancer (all local ones).
 */
export const upscaleBodySchema = z.object({
  image: imageInput,
  scale: z.coerce
    .number({ error: 'Expected scale 2 or 4' })
    .refine((v) => v === 2 || v === 4, 'Expected scale 2 or 4')
    .transform((v) => v as 2 | 4)
    .default(2)
    .meta({ description: 'Enlargement factor, 2 or 4 (4 becomes 2 when the output would pass 16,777,216 pixels)' }),
  // Venice clamps a creativity outside 0-0.02 (0.5 acts as 0.02) and takes null for the default.
  creativity: z
    .union([
      z.null(),
      z.coerce.number({ error: 'Expected creativity as a number' }).refine(Number.isFinite, 'Expected creativity as a number'),
    ])
    .optional()
    .transform((v) => (v === null || v === undefined ? 0.01 : Math.min(0.02, Math.max(0, v))))
    .meta({ description: '0 (most faithful) to 0.02 (most invented texture); values outside are clamped; default 0.01' }),
  model: modelName.optional().meta({ description: 'Upscale model ID (default upscaler)' }),
  enhance: flag.optional().meta({ description: "Venice's generative enhancer; refused by models without one" }),
  enhanceCreativity: z.coerce.number().min(0).max(1).optional().meta({ description: 'Enhancer setting (with enhance only)' }),
  enhancePrompt: z.string().max(1500).optional().meta({ description: 'Enhancer style prompt (with enhance only)' }),
  replication: z.coerce.number().min(0).max(1).optional().meta({ description: 'Enhancer setting (with enhance only)' }),
});

export const modelsQuerySchema = z.object({
  type: z.enum([...MODEL_TYPE_NAMES, 'all']).optional(),
});
