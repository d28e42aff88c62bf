import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';
import { UploadedFile } from '../inputs/uploaded-file.js';
import { checkErrorBudget } from './plugins/error-budget.js';

/**
 * Fields that may appear several times in a multipart body and are read as arrays. `images[]` and
 * `layer_roles[]` are accepted as spellings of the same fields (PHP-style clients send those).
 */
const VENICE_ARRAY_FIELDS: ReadonlySet<string> = new Set(['images', 'layer_roles']);

export interface ReadBodyOptions {
  /** Multipart fields read as arrays (in order) rather than refused when repeated. */
  arrayFields?: ReadonlySet<string>;
  /** Whether a JSON body is accepted (OpenAI's edit endpoint takes only multipart). */
  json?: boolean;
}

export interface ParsedBody {
  /** The body as one object whatever its encoding: what the route's zod schema validates. */
  fields: Record<string, unknown>;
  /** SHA-256 of the body's content, for idempotency checks. */
  hash: string;
}

/**
 * Reads a JSON or multipart body into one plain object. Anything else is refused with 415 before this is
 * called (see the content-type guard in app.ts).
 */
export async function readBody(request: FastifyRequest, options: ReadBodyOptions = {}): Promise<ParsedBody> {
  const arrayFields = options.arrayFields ?? VENICE_ARRAY_FIELDS;
  if (!request.isMultipart()) {
    if (options.json === false) {
      throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'Invalid content type: this endpoint takes multipart/form-data');
    }
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ApiError('INVALID_PARAMETERS', 'Invalid request parameters: the JSON body must be an object');
    }
    await checkErrorBudget(request, body as Record<string, unknown>);
    // Hashed from the raw bytes as they arrived (json-body.ts): re-serialising a large body would block.
    return { fields: body as Record<string, unknown>, hash: request.jsonBodyHash ?? '' };
  }
  const hasher = createHash('sha256');
  const fields: Record<string, unknown> = {};
  const total = multipartBudget(request);
  for await (const part of request.parts()) {
    const name = part.fieldname.endsWith('[]') ? part.fieldname.slice(0, -2) : part.fieldname;
    let value: unknown;
    if (part.type === 'file') {
      const bytes = await part.toBuffer();
      total.add(bytes.length);
      hasher.update(`file:${name}:${bytes.length}:`).update(bytes);
      value = new UploadedFile(bytes, part.filename);
    } else {
      if (part.fieldnameTruncated || part.valueTruncated) {
        throw new ApiError('PAYLOAD_TOO_LARGE', `Field "${name}" is too large`, { body: { code: 'PAYLOAD_TOO_LARGE' } });
      }
      value = String(part.value);
      total.add(String(value).length);
      hasher.update(`field:${name}:${String(value).length}:`).update(String(value));
    }
    if (arrayFields.has(name)) {
      const list = (fields[name] as unknown[] | undefined) ?? [];
      list.push(value);
      fields[name] = list;
    } else if (name in fields) {
      throw new ApiError('INVALID_PARAMETERS', `Field "${name}" was sent more than once`);
    } else {
      fields[name] = value;
    }
  }
  await checkErrorBudget(request, fields);
  return { fields, hash: hasher.digest('hex') };
}

/**
 * Counts what a multipart body has delivered against the server's body limit (the largest legal request):
 * busboy's own limits are per part, so without this sixteen fields at the per-field limit would pass.
 */
export function multipartBudget(request: FastifyRequest): { add(bytes: number): void } {
  const limit = request.routeOptions.bodyLimit ?? Number.POSITIVE_INFINITY;
  let used = 0;
  return {
    add(bytes) {
      used += bytes;
      if (used > limit) {
        throw new ApiError('PAYLOAD_TOO_LARGE', `Request body is too large: at most ${limit} bytes`, {
          body: { code: 'PAYLOAD_TOO_LARGE' },
        });
      }
    },
  };
}
