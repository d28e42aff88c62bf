import { Agent, errors as undiciErrors, request } from 'undici';
import { withDeadline } from '../util/abort.js';
import { ApiError, isApiError } from '../errors.js';
import { tooLarge } from './limits.js';
import { fetchFailed, pinnedLookup, resolveVettedAddresses, systemResolver, type HostResolver } from './resolve-host.js';
import type { AddressGuard } from './url-guard.js';

export interface FetchImageOptions {
  /** A body must be smaller than this many bytes; reading stops as soon as it is not. */
  maxBytes: number;
  connectTimeoutMs: number;
  /** Covers everything: DNS, every redirect hop, headers and the whole body. */
  totalTimeoutMs: number;
  maxRedirects: number;
  guard: AddressGuard;
  resolver?: HostResolver;
}

/** Downloads the image behind a client-supplied URL; see `createImageFetcher`. */
export type ImageFetcher = (url: string, field: string, signal?: AbortSignal) => Promise<Buffer>;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * A fetcher for client-supplied image URLs that cannot be turned against the server's own network
 * (SSRF): only http and https; each hop's host resolved once, every address checked by the guard, and
 * the socket pinned to those checked addresses; redirects followed by hand so each target is checked the
 * same way; bytes and time capped. Failures are 400 IMAGE_FETCH_FAILED (413 when too large) with
 * messages that say why but never which internal address was involved.
 *
 * @example
 * const fetchImage = createImageFetcher({ maxBytes: 25 << 20, connectTimeoutMs: 5000, totalTimeoutMs: 20000,
 *   maxRedirects: 3, guard: createAddressGuard([]) });
 * const bytes = await fetchImage('https://example.com/cat.png', 'image_url');
 */
export function createImageFetcher(options: FetchImageOptions): ImageFetcher {
  const resolver = options.resolver ?? systemResolver;

  return async (url, field, callerSignal) => {
    const deadline = withDeadline(callerSignal, options.totalTimeoutMs);
    const { signal } = deadline;
    let target = parseHttpUrl(url);
    try {
      for (let redirects = 0; ; redirects++) {
        const addresses = await resolveVettedAddresses(target.hostname, options.guard, resolver, signal);
        // One agent per hop: its only way to a socket is the pinned lookup over this hop's vetted addresses.
        const agent = new Agent({
          connect: { lookup: pinnedLookup(addresses), timeout: options.connectTimeoutMs },
        });
        try {
          const response = await request(target, {
            dispatcher: agent,
            method: 'GET',
            signal,
            headers: { accept: 'image/*', 'accept-encoding': 'identity', 'user-agent': 'retouch-image-fetcher' },
          });
          if (REDIRECT_STATUSES.has(response.statusCode)) {
            const location = response.headers.location;
            await response.body.dump();
            if (typeof location !== 'string') throw fetchFailed('image URL redirected without a location');
            if (redirects >= options.maxRedirects) {
              throw fetchFailed(`image URL redirected more than ${options.maxRedirects} times`);
            }
            target = parseHttpUrl(location, target);
            continue;
          }
          if (response.statusCode < 200 || response.statusCode > 299) {
            await response.body.dump().catch(() => undefined);
            throw fetchFailed(`image URL returned HTTP ${response.statusCode}`);
          }
          return await readCapped(response, options.maxBytes, field);
        } finally {
          agent.destroy().catch(() => undefined);
        }
      }
    } catch (error) {
      throw translateError(error, { callerSignal, timedOut: deadline.timedOut });
    } finally {
      deadline.dispose();
    }
  };
}

/** Only absolute http(s) URLs, resolved against the previous hop for relative redirects. */
function parseHttpUrl(value: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    throw fetchFailed(base ? 'image URL redirected to an invalid URL' : 'image URL is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw fetchFailed(base ? 'image URL redirected to a URL that is not http or https' : 'image URL must use http or https');
  }
  return url;
}

type Response = Awaited<ReturnType<typeof request>>;

async function readCapped(response: Response, maxBytes: number, field: string): Promise<Buffer> {
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared >= maxBytes) {
    response.body.destroy();
    throw tooLarge(field, maxBytes);
  }
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    received += chunk.length;
    if (received >= maxBytes) {
      response.body.destroy();
      throw tooLarge(field, maxBytes);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, received);
}

/** Maps whatever went wrong to a client-safe ApiError; the original stays attached as `cause` for logs. */
function translateError(error: unknown, signals: { callerSignal?: AbortSignal; timedOut: boolean }): ApiError {
  if (isApiError(error)) return error;
  if (signals.callerSignal?.aborted) {
    const reason: unknown = signals.callerSignal.reason;
    return isApiError(reason) ? reason : new ApiError('CLIENT_CLOSED', 'the request was cancelled', { cause: error });
  }
  if (signals.timedOut) return fetchFailed('image download timed out', error);
  if (error instanceof undiciErrors.ConnectTimeoutError)
    return fetchFailed('image URL did not accept a connection in time', error);
  const code = (error as { code?: string } | null)?.code ?? '';
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return fetchFailed('could not connect to the image URL', error);
  }
  if (code.startsWith('ERR_TLS') || code.includes('CERT') || code === 'DEPTH_ZERO_SELF_SIGNED_CERT') {
    return fetchFailed("the image URL's TLS certificate was not accepted", error);
  }
  return fetchFailed('image download failed', error);
}
