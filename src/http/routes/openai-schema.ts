import { z } from 'zod';
import { modelName, prompt, seed, uploadedFile } from '../schemas.js';

/**
 * The multipart body of OpenAI's `POST /v1/images/edits`, built from the same field schemas as the Venice
 * routes. `image` (or `image[]`) repeats; the mask is OpenAI's alpha-convention mask.
 */
export const openAiEditBodySchema = z.object({
  image: z
    .array(uploadedFile, { error: 'Expected at least one image as `image` or `image[]`' })
    .min(1, 'Expected at least one image as `image` or `image[]`'),
  mask: uploadedFile.optional(),
  prompt,
  model: modelName.optional(),
  n: z.coerce
    .number()
    .int()
    .refine((n) => n === 1, 'Only n=1 is supported')
    .optional(),
  size: z.string().max(20).optional(),
  response_format: z
    .enum(['b64_json', 'url'])
    .refine((f) => f === 'b64_json', 'Only response_format=b64_json is supported')
    .optional(),
  // Server-sent events (openai-events.ts); the engines here have no partial pictures to send.
  stream: z.enum(['true', 'false']).optional(),
  partial_images: z.coerce.number().int().min(0).max(3).optional(),
  output_format: z.enum(['png', 'jpeg', 'webp']).optional(),
  output_compression: z.coerce.number().int().min(0).max(100).optional(),
  background: z.enum(['transparent', 'opaque', 'auto']).optional(),
  // Accepted as OpenAI's clients send them; they choose nothing on these engines.
  quality: z.enum(['auto', 'low', 'medium', 'high', 'standard']).optional(),
  input_fidelity: z.enum(['low', 'high']).optional(),
  user: z.string().max(256).optional(),
  seed: seed.optional(),
});

/** The repeated multipart fields of the form. */
export const OPENAI_ARRAY_FIELDS: ReadonlySet<string> = new Set(['image']);
