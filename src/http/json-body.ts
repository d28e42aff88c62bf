import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';
import { JsonNestingGuard } from './json-nesting-guard.js';
import { OFF_THREAD_BYTES, parseJsonOffThread } from './json-parse-pool.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** SHA-256 of the raw JSON body, computed as it arrived (for idempotency checks). */
    jsonBodyHash?: string;
  }
}

/** Deeper than any request this API takes (its bodies nest two levels), far below what would hurt. */
export const MAX_JSON_DEPTH = 64;

/**
 * Replaces Fastify's JSON parser with one that works as the body streams in: it refuses a body larger
 * than `limit` at once (by Content-Length, else as soon as the count passes it) before buffering it,
 * refuses nesting deeper than MAX_JSON_DEPTH, and hashes the raw bytes chunk by chunk, so a 100 MB body
 * never costs a second pass (JSON.stringify) or a recursion on the main thread. Small bodies are parsed
 * by Fastify's own parser, large ones in a worker thread (json-parse-pool.ts), with the same
 * prototype-poisoning checks.
 */
export function installJsonBodyParser(app: FastifyInstance, limit: number): void {
  const parseText = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', (request: FastifyRequest, payload, done) => {
    const declared = Number(request.headers['content-length']);
    if (declared > limit) return done(tooLarge(), undefined);
    const hash = createHash('sha256');
    const guard = new JsonNestingGuard(MAX_JSON_DEPTH);
    const chunks: Buffer[] = [];
    let received = 0;
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      payload.removeListener('data', onData);
      // Stop reading; the response (and the connection's end) follows from the error handler.
      payload.pause();
      done(error, undefined);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) return fail(tooLarge());
      if (!guard.feed(chunk)) return fail(tooDeep());
      hash.update(chunk);
      chunks.push(chunk);
    };
    payload.on('data', onData);
    payload.on('error', (error) =>
      fail(Object.assign(new ApiError('INVALID_PARAMETERS', 'Invalid request body'), { cause: error })),
    );
    payload.on('end', () => {
      if (failed) return;
      // A DELETE carries its id in the query; clients that send a JSON content type on every call send it empty.
      if (received === 0 && request.method === 'DELETE') return done(null, undefined);
      if (received === 0) return fail(new ApiError('INVALID_PARAMETERS', 'Invalid request parameters: the JSON body is empty'));
      request.jsonBodyHash = hash.digest('hex');
      if (received < OFF_THREAD_BYTES) return parseText(request, Buffer.concat(chunks, received).toString('utf8'), done);
      parseJsonOffThread(chunks, received).then(
        (value) => done(null, value),
        (error: Error) => done(error, undefined),
      );
    });
  });
}

/** The largest request the API can legally take: three images of `maxImageBytes` as base64, plus the fields. */
export function largestLegalBody(maxImageBytes: number): number {
  return 3 * Math.ceil((maxImageBytes * 4) / 3) + 1024 * 1024;
}

/** Venice's JSON body limit: 35 MB, one image of 25 MB as base64 and its fields. */
export const VENICE_JSON_BODY_LIMIT = 35 * 1024 * 1024;

/** Venice's answer to a JSON body over its limit, word for word (no `code`, unlike a multipart file's). */
function tooLarge(): ApiError {
  return new ApiError('PAYLOAD_TOO_LARGE', 'Request body exceeds the maximum allowed size.', { budgetExempt: true });
}

function tooDeep(): ApiError {
  return new ApiError('INVALID_PARAMETERS', `Invalid request parameters: JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
}
