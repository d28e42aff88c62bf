import { CONTENT_POLICY_MESSAGE } from '../../policy/index.js';
import { ApiError } from '../../errors.js';

/**
 * What went wrong on a call to a GPU server, in the few kinds that matter to the caller: whether to retry,
 * whether the endpoint's circuit breaker counts it, and which API status the client finally sees.
 *
 * - `connection`: refused, reset, DNS, TLS: the endpoint is not reachable. Retried.
 * - `capacity`: 429 or 503 from the backend: it is busy. Retried (honouring Retry-After).
 * - `refused`: the backend refused the content (moderation, safety checker). A 400 for the client.
 * - `invalid`: the backend judged the request itself invalid (4xx). A 400 for the client; never retried.
 * - `timeout`: no answer within the attempt's time limit.
 * - `failed`: anything else (5xx, node errors in a workflow, a missing or undecodable output).
 */
export type BackendErrorKind = 'connection' | 'capacity' | 'refused' | 'invalid' | 'timeout' | 'failed';

export class BackendError extends Error {
  constructor(
    readonly kind: BackendErrorKind,
    /** For the operator's log only: may name hosts, nodes and the backend's own words. Never sent to clients. */
    message: string,
    readonly details: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
    this.name = 'BackendError';
  }

  get retryable(): boolean {
    return this.kind === 'connection' || this.kind === 'capacity';
  }

  /** Whether the failure says something about the endpoint's health (a refused prompt does not). */
  get countsAgainstEndpoint(): boolean {
    return this.kind === 'connection' || this.kind === 'timeout' || this.kind === 'failed';
  }
}

/**
 * The kind of an HTTP answer that is not a success. `refusedHint` is set by a backend that recognised a
 * content-policy refusal in the body (OpenAI's `moderation_blocked`, Venice's content-violation header).
 */
export function kindOfStatus(status: number, refusedHint = false): BackendErrorKind {
  if (refusedHint) return 'refused';
  if (status === 429 || status === 503) return 'capacity';
  // 401/403/404 are the operator's configuration (key, URL), not the client's request: they are failures.
  if (status === 400 || status === 413 || status === 415 || status === 422) return 'invalid';
  return 'failed';
}

/** Retry-After in milliseconds (seconds or an HTTP date), or undefined. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  const seconds = Number(text);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(text);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/** Node's network error codes that mean "could not talk to the endpoint at all". */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/** Turns whatever a network call threw into a BackendError (an abort is passed through untouched). */
export function toBackendError(error: unknown, what: string): BackendError | Error {
  if (error instanceof BackendError) return error;
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) return error;
  const code = (error as { code?: string })?.code ?? (error as { cause?: { code?: string } })?.cause?.code;
  if (code && CONNECTION_CODES.has(code)) {
    return new BackendError('connection', `${what}: ${code}`, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new BackendError('failed', `${what}: ${message}`, { cause: error });
}

/**
 * The client-facing error for a backend failure: the API's own status and a message with no host, node
 * name or backend wording in it.
 */
export function apiErrorFromBackend(error: BackendError): ApiError {
  switch (error.kind) {
    case 'refused':
      return new ApiError('CONTENT_VIOLATION', CONTENT_POLICY_MESSAGE, {
        headers: { 'x-venice-is-content-violation': 'true' },
        cause: error,
      });
    case 'invalid':
      return new ApiError('INVALID_PARAMETERS', 'The model rejected the request as invalid', { cause: error });
    case 'capacity': {
      // Venice's split: a backend that said 429 is overloaded (429 MODEL_OVERLOADED), one that said 503
      // is at capacity (503 MODEL_AT_CAPACITY); both are transient, so both carry Retry-After.
      // Without the backend's own Retry-After: Venice's 30 s for an overloaded model, 5 s at capacity.
      const fallbackMs = error.details.status === 429 ? 30_000 : 5_000;
      const seconds = String(Math.ceil((error.details.retryAfterMs ?? fallbackMs) / 1000));
      if (error.details.status === 429) {
        return new ApiError('MODEL_OVERLOADED', 'The model is currently overloaded. Please try again later.', {
          headers: { 'Retry-After': seconds },
          cause: error,
        });
      }
      return new ApiError('MODEL_AT_CAPACITY', 'The model is at capacity. Please try again later.', {
        headers: { 'Retry-After': seconds },
        cause: error,
      });
    }
    case 'connection':
      return new ApiError('MODEL_UNAVAILABLE', 'The model backend is unavailable, retry after a short delay', {
        headers: { 'Retry-After': '10' },
        cause: error,
      });
    case 'timeout':
      return new ApiError('REQUEST_TIMEOUT', 'The model did not finish in time', { cause: error });
    default:
      return new ApiError('INFERENCE_FAILED', 'Inference processing failed', { cause: error });
  }
}
