import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, isApiError } from '../../errors.js';
import { isOpenAiRoute, openAiErrorBody, openAiStatus, veniceErrorBody } from '../error-bodies.js';

/**
 * Turns every error into the client's error shape (Venice's `{"error": "..."}`, or OpenAI's on its routes)
 * with the right status. Fastify's and the multipart plugin's own errors are translated by code; anything
 * unknown becomes a 500 whose details stay in the log, never in the response.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const apiError = toApiError(error, request.server.services?.config.inputs.maxImageBytes);
    logOutcome(request, error, apiError);
    request.apiError = apiError;
    if (apiError.code === 'CLIENT_CLOSED' && reply.raw.destroyed) return;
    const openAi = isOpenAiRoute(request.url);
    const body = openAi ? openAiErrorBody(apiError) : veniceErrorBody(apiError);
    const status = openAi ? openAiStatus(apiError) : apiError.status;
    void reply.status(status).headers(apiError.headers).type('application/json').send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ error: `Route ${request.method} ${request.url.split('?')[0]} not found` });
  });
}

/** Outcomes that are part of normal operation: one log line, no stack trace. */
const ROUTINE_CODES = new Set<ApiError['code']>(['MODEL_AT_CAPACITY', 'MODEL_UNAVAILABLE', 'CLIENT_CLOSED']);

/**
 * Logs how a request failed: real faults (500s) at error level with the stack trace of their cause;
 * expected outcomes (busy or offline model: 503, client gone) as one warn line; client mistakes at info.
 */
export function logOutcome(request: FastifyRequest, error: Error, apiError: ApiError): void {
  if (ROUTINE_CODES.has(apiError.code)) {
    request.log.warn({ code: apiError.code, status: apiError.status }, apiError.message);
  } else if (apiError.status >= 500) {
    request.log.error({ err: error.cause ?? error, code: apiError.code }, 'request failed');
  } else {
    request.log.info({ code: apiError.code, message: apiError.message }, 'request refused');
  }
}

/** Any error thrown while serving a request, as the ApiError the client is told about. */
function toApiError(error: FastifyError, maxFileBytes = 25 * 1024 * 1024): ApiError {
  if (isApiError(error)) return error;
  switch (error.code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      // Venice's shape and words for a multipart file over the limit.
      return new ApiError('PAYLOAD_TOO_LARGE', `File exceeds the maximum allowed size of ${megabytes(maxFileBytes)} MB.`, {
        body: { code: 'PAYLOAD_TOO_LARGE' },
      });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_PARTS_LIMIT':
    case 'FST_FILES_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return new ApiError('PAYLOAD_TOO_LARGE', payloadTooLargeMessage(error.code), {
        body: { code: 'PAYLOAD_TOO_LARGE' },
      });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new ApiError('UNSUPPORTED_MEDIA_TYPE', 'Invalid content type: use application/json or multipart/form-data');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ApiError('INVALID_PARAMETERS', 'Invalid request parameters: the JSON body is empty', { budgetExempt: true });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_MP_PREMATURE_CLOSE':
    case 'FST_PROTO_VIOLATION':
      return new ApiError('INVALID_PARAMETERS', 'Invalid request body');
  }
  const multipartProblem = malformedMultipart(error);
  if (multipartProblem) return new ApiError('INVALID_PARAMETERS', `Malformed multipart body: ${multipartProblem}`);
  if (error.statusCode === 400 && (error instanceof SyntaxError || /JSON/i.test(error.message))) {
    return new ApiError('INVALID_PARAMETERS', 'Invalid request parameters: the body is not valid JSON', { budgetExempt: true });
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new ApiError('INVALID_PARAMETERS', 'Invalid request');
  }
  return new ApiError('INTERNAL', 'Internal server error', { cause: error });
}

/** 26214400 -> "25", 1.5 MiB -> "1.5". */
function megabytes(bytes: number): string {
  return String(Math.round((bytes / (1024 * 1024)) * 100) / 100);
}

function payloadTooLargeMessage(code: string): string {
  switch (code) {
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return 'Too many parts in the multipart body';
    default:
      return 'Request body is too large';
  }
}

/**
 * busboy's (the multipart parser's) errors carry no code or status, only a message; these are the ones a
 * client's malformed body causes. Returns what to tell the client, or undefined for any other error.
 */
function malformedMultipart(error: Error): string | undefined {
  const message = error.message ?? '';
  if (/^Multipart: Boundary not found|^Boundary required|needle cannot/.test(message)) {
    return 'the Content-Type needs a boundary parameter of 1 to 70 characters';
  }
  if (/unexpected end of multipart data/i.test(message)) return 'it ends before its closing boundary';
  return undefined;
}
