import { Agent, request, type Dispatcher, type FormData } from 'undici';
import { BackendError, kindOfStatus, parseRetryAfter, toBackendError } from './backend-error.js';
import type { EndpointConfig } from './options.js';

/**
 * The few HTTP calls the backends make, over undici with one connection pool per engine. Every call
 * honours an AbortSignal, caps the bytes it reads, and turns network failures into BackendErrors.
 */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface HttpCall {
  method: 'GET' | 'POST';
  /** Relative to the endpoint's URL, which may itself carry a path prefix (`https://host/api/v1`). */
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** Multipart bodies must be undici's FormData (Node's global one is another undici's, which this one cannot stream). */
  body?: string | Buffer | FormData;
  signal: AbortSignal;
  /** Larger answers are refused (a misconfigured endpoint must not fill the memory). */
  maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 128 * 1024 * 1024;

export function createDispatcher(): Agent {
  return new Agent({ connect: { timeout: 10_000 }, keepAliveTimeout: 30_000, headersTimeout: 0, bodyTimeout: 0 });
}

/** The endpoint's URL joined with `path`, keeping the endpoint's own path prefix. */
export function endpointUrl(endpoint: Pick<EndpointConfig, 'url'>, path: string, query?: Record<string, string>): URL {
  const base = endpoint.url.endsWith('/') ? endpoint.url : `${endpoint.url}/`;
  const url = new URL(path.replace(/^\//, ''), base);
  for (const [key, value] of Object.entries(query ?? {})) url.searchParams.set(key, value);
  return url;
}

/** Sends one request and reads the whole answer; rejects with a BackendError only for network failures. */
export async function httpCall(dispatcher: Dispatcher, endpoint: EndpointConfig, call: HttpCall): Promise<HttpAnswer> {
  const url = endpointUrl(endpoint, call.path, call.query);
  const headers: Record<string, string> = { ...call.headers };
  if (endpoint.apiKey) headers.authorization = `Bearer ${endpoint.apiKey}`;
  try {
    const answer = await request(url, {
      method: call.method,
      headers,
      body: call.body as Dispatcher.DispatchOptions['body'],
      signal: call.signal,
      dispatcher,
    });
    const body = await readCapped(answer.body, call.maxBytes ?? DEFAULT_MAX_BYTES, `${call.method} ${call.path}`);
    return { status: answer.statusCode, headers: answer.headers, body };
  } catch (error) {
    if (call.signal.aborted) throw call.signal.reason;
    throw toBackendError(error, `${call.method} ${call.path}`);
  }
}

async function readCapped(body: Dispatcher.ResponseData['body'], maxBytes: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.length;
    if (total > maxBytes) {
      body.destroy();
      throw new BackendError('failed', `${what}: answer larger than ${maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Throws the BackendError that a non-2xx answer means. `refused` is the backend's own recognition of a
 * content-policy refusal; the answer's body goes to the log message only.
 */
export function ensureOk(answer: HttpAnswer, what: string, refused = false): HttpAnswer {
  if (answer.status >= 200 && answer.status < 300) return answer;
  const excerpt = answer.body.subarray(0, 500).toString('utf8');
  throw new BackendError(kindOfStatus(answer.status, refused), `${what}: HTTP ${answer.status} ${excerpt}`, {
    status: answer.status,
    retryAfterMs: parseRetryAfter(answer.headers['retry-after']),
  });
}

/** The answer's body as JSON, or a BackendError saying the backend answered something else. */
export function jsonOf<T = unknown>(answer: HttpAnswer, what: string): T {
  try {
    return JSON.parse(answer.body.toString('utf8')) as T;
  } catch (error) {
    throw new BackendError('failed', `${what}: answer is not JSON`, { cause: error });
  }
}
