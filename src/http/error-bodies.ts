import type { ApiError } from '../errors.js';

/**
 * The two shapes in which errors reach clients. Venice's routes answer `{"error": "..."}` (validation adds
 * zod's `details` and `issues`); the OpenAI-compatible routes answer `{"error": {message, type, param,
 * code}}`, which the official OpenAI clients parse into their typed errors.
 */
export function veniceErrorBody(error: ApiError): Record<string, unknown> {
  return error.toBody();
}

const OPENAI_TYPES: Partial<Record<ApiError['code'], [type: string, code: string]>> = {
  CONTENT_VIOLATION: ['image_generation_user_error', 'moderation_blocked'],
  UNAUTHORIZED: ['invalid_request_error', 'invalid_api_key'],
  INSUFFICIENT_BALANCE: ['insufficient_quota', 'insufficient_quota'],
  RATE_LIMITED: ['requests', 'rate_limit_exceeded'],
};

export function openAiErrorBody(error: ApiError): Record<string, unknown> {
  const [type, code] = OPENAI_TYPES[error.code] ?? [
    error.status >= 500 ? 'server_error' : 'invalid_request_error',
    error.code.toLowerCase(),
  ];
  // A validation failure names its first problem's field, as OpenAI's `param` does.
  const issue = Array.isArray(error.body.issues) ? (error.body.issues[0] as { path?: unknown[]; message?: string }) : undefined;
  const issuePath = issue?.path?.length ? issue.path.join('.') : undefined;
  const param = typeof error.body.param === 'string' ? error.body.param : (issue?.path?.[0] ?? null);
  const message = issue ? `${issuePath ?? 'body'}: ${issue.message}` : error.message;
  return { error: { message, type, param, code } };
}

/**
 * The status on OpenAI's routes: OpenAI answers a refused prompt with 400 (`moderation_blocked`) where
 * Venice answers 422; every other status is the registry's.
 */
export function openAiStatus(error: ApiError): number {
  return error.code === 'CONTENT_VIOLATION' ? 400 : error.status;
}

/** OpenAI's routes are those under `/v1/` (Venice's live under `/api/v1/`). */
export function isOpenAiRoute(url: string): boolean {
  return url.startsWith('/v1/');
}
