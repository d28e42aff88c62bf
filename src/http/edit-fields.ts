import { z } from 'zod';

/**
 * The fields Venice's `/image/edit` and `/image/multi-edit` gained in 2026 (output format, resolution
 * tier, quality, safe mode, prompt enhancement), and Venice's strictness: an unknown key is a 400 whose
 * `details` / `issues` say `Unrecognized key(s) in object: 'foo'` (Venice validates with zod 3 and
 * publishes that wording; zod 4's own is `Unrecognized keys: "foo"`, so the message is set here).
 */

/** Booleans arrive as strings in multipart bodies. */
export const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);

/** `png`, `jpeg` (`jpg` accepted, as Venice does) or `webp`. */
export const outputFormat = z
  .enum(['png', 'jpeg', 'jpg', 'webp'], { error: 'Expected png, jpeg, jpg or webp' })
  .transform((format) => (format === 'jpg' ? 'jpeg' : format))
  .meta({
    description: 'Output format: png, jpeg (jpg accepted) or webp. Default: PNG at 1K (or the input size), JPEG at 2K/4K',
  });

/**
 * A tier name as Venice takes it (a string of 1 to 10 characters, `1K` ... `4K`, case-insensitive);
 * whether the model has it is checked against the model, so an unknown tier names the supported ones.
 */
export const resolution = z
  .string()
  .min(1)
  .max(10)
  .transform((tier) => tier.toUpperCase())
  .meta({ description: 'Resolution tier: 1K, 2K or 4K, as the model declares in constraints.resolutions' });

export const quality = z
  .enum(['low', 'medium', 'high'])
  .meta({ description: 'Output quality, for models that declare constraints.qualities' });

/** The new fields shared by both edit routes. */
export const veniceEditFields = {
  output_format: outputFormat.optional(),
  resolution: resolution.optional(),
  safe_mode: flag.optional().meta({ description: 'Blur adult content in generated images (default true)' }),
  enhance_prompt: flag.optional().meta({ description: 'Let an upstream that can rewrite the prompt do so first' }),
  disable_prompt_optimization_thinking: flag
    .optional()
    .meta({ description: "Skip an upstream's prompt-optimization thinking step" }),
};

/** Venice's wording for unknown keys (see the file comment). */
function unknownKeysMessage(issue: { code?: string; keys?: string[] }): string | undefined {
  if (issue.code !== 'unrecognized_keys' || !issue.keys) return undefined;
  return `Unrecognized key(s) in object: ${issue.keys.map((key) => `'${key}'`).join(', ')}`;
}

/**
 * A request object that refuses unknown keys with Venice's message.
 *
 * @example veniceObject({ prompt }).safeParse({ prompt: 'x', foo: 1 }) // issue: "Unrecognized key(s) in object: 'foo'"
 */
export function veniceObject<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  return z.strictObject(shape, { error: unknownKeysMessage });
}
