/**
 * One registry of every error the API can answer with: a code, an HTTP status and a client-safe message.
 * Routes and services throw `ApiError`s; the error handler in `http/error-handler.ts` turns them into
 * Venice-shaped JSON (`{"error": "..."}`). Anything that is not an `ApiError` becomes a generic 500, so no
 * stack trace, path or backend detail ever reaches a client.
 */

export const ERROR_CODES = {
  INVALID_PARAMETERS: 400,
  INVALID_IMAGE: 400,
  IMAGE_FETCH_FAILED: 400,
  UNSUPPORTED_INSTRUCTION: 400,
  UNAUTHORIZED: 401,
  INSUFFICIENT_BALANCE: 402,
  NOT_FOUND: 404,
  /** Venice's code for a model this server does not serve (not transient: no Retry-After). */
  MODEL_NOT_FOUND: 404,
  IDEMPOTENCY_CONFLICT: 422,
  /** Venice's status for a refused prompt on its routes (OpenAI's route answers 400, see error-bodies.ts). */
  CONTENT_VIOLATION: 422,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  /** Venice's error budget: too many failed requests of a key on a model in the window. */
  TOO_MANY_FAILED_REQUESTS: 429,
  /** Venice's 429 for a backend that is overloaded (it said 429), distinct from our own rate limit. */
  MODEL_OVERLOADED: 429,
  INFERENCE_FAILED: 500,
  INTERNAL: 500,
  MODEL_AT_CAPACITY: 503,
  MODEL_UNAVAILABLE: 503,
  /** An upstream or the model's own deadline passed (Venice's REQUEST_TIMEOUT). */
  REQUEST_TIMEOUT: 504,
  /** A shared service the request needs (Redis, for limits and locks across replicas) is unreachable. */
  SERVICE_UNAVAILABLE: 503,
  CLIENT_CLOSED: 499,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ApiErrorOptions {
  /** Extra JSON fields merged into the body (e.g. zod `details` and `issues`). */
  body?: Record<string, unknown>;
  /** Response headers, e.g. `Retry-After` or `x-venice-is-content-violation`. */
  headers?: Record<string, string>;
  cause?: unknown;
  /**
   * Not counted by the error budget (Venice does not count malformed JSON, a wrong Content-Type or a body
   * over the JSON limit: http/plugins/error-budget.ts).
   */
  budgetExempt?: boolean;
}

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Record<string, string>;
  readonly budgetExempt: boolean;

  constructor(code: ErrorCode, message: string, options: ApiErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'ApiError';
    this.code = code;
    this.status = ERROR_CODES[code];
    this.body = options.body ?? {};
    this.headers = options.headers ?? {};
    this.budgetExempt = options.budgetExempt ?? false;
  }

  /** The JSON body a client sees: Venice's `{"error": message}` plus any extra fields. */
  toBody(): Record<string, unknown> {
    return { error: this.message, ...this.body };
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}
