import { ApiError } from '../errors.js';
import type { RawImage } from '../imaging/raw-image.js';
import { decodeBase64Image, isDataUri } from './base64.js';
import { decodeInspected, inspectImage, type InspectedImage } from './decode-image.js';
import { createImageFetcher, type ImageFetcher } from './fetch-image.js';
import { assertUnderByteLimit } from './limits.js';
import type { HostResolver } from './resolve-host.js';
import { createAddressGuard } from './url-guard.js';

export interface ImageLoaderOptions {
  /** Each image must be smaller than this many bytes (25 MiB by default, Venice's "under 25MB"). */
  maxImageBytes: number;
  /** Server-side fetching of URL inputs; see config `inputs.fetch`. */
  fetch: { allow: readonly string[]; connectTimeoutMs: number; totalTimeoutMs: number; maxRedirects: number };
}

/** Side effects a test may replace; production uses the system resolver. */
export interface ImageLoaderDeps {
  resolveHost?: HostResolver;
}

/**
 * Turns client-supplied image data into a decoded RawImage. Shared by every route, so that every image,
 * however it arrived, obeys the same byte, pixel, format and network rules. Failures are ApiErrors
 * (400, or 413 when too large) whose messages name the request field.
 *
 * @example
 * const loader = createImageLoader(config.inputs);
 * const base = await loader.fromString(body.image, 'image', { allowUrl: true, signal });
 * const layer = await loader.fromBytes(await part.toBuffer(), 'images[1]');
 */
export interface ImageLoader {
  /** A JSON string field: plain base64 (whitespace allowed), a data: URI, or when allowUrl an http(s) URL fetched by the server. */
  fromString(value: string, field: string, options: { allowUrl: boolean; signal?: AbortSignal }): Promise<RawImage>;
  /** Bytes of an uploaded multipart file part. */
  fromBytes(bytes: Buffer, field: string): Promise<RawImage>;
  /** As fromString, but only checked from its header: the pixels are decoded later with `decode`. */
  inspectString(value: string, field: string, options: { allowUrl: boolean; signal?: AbortSignal }): Promise<InspectedImage>;
  /** As fromBytes, but only checked from its header. */
  inspectBytes(bytes: Buffer, field: string): Promise<InspectedImage>;
  /** The pixels of an inspected image. */
  decode(image: InspectedImage): Promise<RawImage>;
}

/** A URI scheme such as `https:` or `ftp:`; base64 text never contains a colon. */
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/**
 * Builds the loader once at start. A malformed `fetch.allow` entry throws here, naming it.
 *
 * @example const loader = createImageLoader({ maxImageBytes: 25 << 20,
 *   fetch: { allow: [], connectTimeoutMs: 5000, totalTimeoutMs: 20000, maxRedirects: 3 } });
 */
export function createImageLoader(options: ImageLoaderOptions, deps: ImageLoaderDeps = {}): ImageLoader {
  const { maxImageBytes } = options;
  const fetchImage: ImageFetcher = createImageFetcher({
    maxBytes: maxImageBytes,
    ...options.fetch,
    guard: createAddressGuard(options.fetch.allow),
    resolver: deps.resolveHost,
  });

  const loader: ImageLoader = {
    async fromString(value, field, options) {
      return decodeInspected(await loader.inspectString(value, field, options));
    },

    async fromBytes(bytes, field) {
      return decodeInspected(await loader.inspectBytes(bytes, field));
    },

    async inspectString(value, field, { allowUrl, signal }) {
      const text = value.trim();
      if (text.length === 0) throw new ApiError('INVALID_PARAMETERS', `${field} is empty`);
      if (isDataUri(text) || !SCHEME.test(text)) {
        return inspectImage(decodeBase64Image(text, field, maxImageBytes), field);
      }
      if (!allowUrl) {
        throw new ApiError('INVALID_PARAMETERS', `${field} must be base64 image data or a data: URI; URLs are not accepted here`);
      }
      return inspectImage(await fetchImage(text, field, signal), field);
    },

    async inspectBytes(bytes, field) {
      assertUnderByteLimit(bytes.length, maxImageBytes, field);
      return inspectImage(bytes, field);
    },

    decode: decodeInspected,
  };
  return loader;
}

export { createAddressGuard } from './url-guard.js';
export { createImageFetcher } from './fetch-image.js';
export type { HostResolver } from './resolve-host.js';
export type { InspectedImage } from './decode-image.js';
