import type { z } from 'zod';
import { ApiError } from '../errors.js';

/**
 * Validates `input` against `schema`, or throws Venice's validation error:
 * `{"error":"Invalid request parameters","details":<zod format()>,"issues":<zod issues>}`.
 * File contents are never echoed back in `issues` (zod's issues may carry the received input).
 */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map(({ input: _dropped, ...issue }) => issue);
  throw new ApiError('INVALID_PARAMETERS', 'Invalid request parameters', {
    body: { details: result.error.format(), issues },
  });
}
