import type { FastifyError, FastifyInstance } from 'fastify';
import { ApiError, isApiError } from '../../errors.js';
import { isOpenAiRoute, openAiErrorBody, veniceErrorBody } from '../error-bodies.js';

/**
 * Turns every error into the client's error shape (Venice's `{"error": "..."}`, or OpenAI's on its routes)
 * with the right status. Fastify's and the multipart plugin's own errors are translated by code; anything
 * unknown becomes a 500 whose details stay in the log, never in the response.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const apiError = toApiError(error);
    if (apiError.status >= 500) {
      request.log.error({ err: error.cause ?? error, code: apiError.code }, 'request failed');
    } else {
      request.log.info({ code: apiError.code, message: apiError.message }, 'request refused');
    }
    if (apiError.code === 'CLIENT_CLOSED' && reply.raw.destroyed) return;
    const body = isOpenAiRoute(request.url) ? openAiErrorBody(apiError) : veniceErrorBody(apiError);
    void reply.status(apiError.status).headers(apiError.headers).type('application/json').send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ error: `Route ${request.method} ${request.url.split('?')[0]} not found` });
  });
}

/** Any error thrown while serving a request, as the ApiError the client is told about. */
function toApiError(error: FastifyError): ApiError {
  if (isApiError(error)) return error;
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
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
      return new ApiError('INVALID_PARAMETERS', 'Invalid request parameters: the JSON body is empty');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_MP_PREMATURE_CLOSE':
    case 'FST_PROTO_VIOLATION':
      return new ApiError('INVALID_PARAMETERS', 'Invalid request body');
  }
  if (error.statusCode === 400 && (error instanceof SyntaxError || /JSON/i.test(error.message))) {
    return new ApiError('INVALID_PARAMETERS', 'Invalid request parameters: the body is not valid JSON');
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new ApiError('INVALID_PARAMETERS', 'Invalid request');
  }
  return new ApiError('INTERNAL', 'Internal server error', { cause: error });
}

function payloadTooLargeMessage(code: string): string {
  switch (code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return 'Uploaded file is too large: each image must be under the per-image limit';
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return 'Too many parts in the multipart body';
    default:
      return 'Request body is too large';
  }
}
