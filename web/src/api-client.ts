/**
 * Talks to this server's API only, with relative URLs (so a path prefix in front of the server works),
 * and turns each answer into either an image with its money headers or an ApiFailure carrying the status
 * and the message exactly as the API sent them.
 */

import { IMAGE_OPERATION_NAMES, IMAGE_OPERATIONS, type ImageOperation } from '../../src/operations/image-operations.js';

/** The API's image operations: the server's operation table (src/operations/), bundled into the page. */
export type Operation = ImageOperation;

/** One multipart part: a text field, or a file with the name it is shown under in the curl command. */
export type Part = { name: string; value: string } | { name: string; file: Blob; filename: string };

/** A request the page is about to send: the route (relative to the page) and its multipart parts. */
export interface RequestPlan {
  operation: Operation;
  path: string;
  parts: Part[];
}

/** Each operation's route, relative to the page (so a path prefix in front of the server is kept). */
export const ROUTES = Object.fromEntries(
  IMAGE_OPERATION_NAMES.map((name) => [name, IMAGE_OPERATIONS[name].path.replace(/^\//, '')]),
) as Record<Operation, string>;

export interface ApiSuccess {
  blob: Blob;
  contentType: string;
  /**
   * The balance after this request's charge: `x-retouch-balance-after-usd` (Venice's own
   * `x-venice-balance-usd` is the balance before the request).
   */
  balanceUsd?: string;
  /** `x-retouch-charged-usd`: what this request cost. */
  chargedUsd?: string;
  requestId?: string;
  elapsedMs: number;
}

/** An answer other than 2xx, with what the API said. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly requestId?: string,
    readonly contentViolation = false,
  ) {
    super(message);
  }
}

/** The absolute URL of a route, resolved against the page (keeps any path prefix). */
export function apiUrl(path: string): string {
  return new URL(path, document.baseURI).href;
}

/**
 * Sends a plan as multipart/form-data; `signal` aborts it (the server then releases the reservation).
 * With `progressToken`, the server keeps the request's progress under it (see fetchProgress).
 */
export async function sendPlan(plan: RequestPlan, key: string, signal: AbortSignal, progressToken?: string): Promise<ApiSuccess> {
  const form = new FormData();
  for (const part of plan.parts) {
    if ('file' in part) form.append(part.name, part.file, part.filename);
    else form.append(part.name, part.value);
  }
  const started = performance.now();
  const response = await fetch(apiUrl(plan.path), {
    method: 'POST',
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(progressToken ? { 'x-progress-token': progressToken } : {}),
    },
    body: form,
    signal,
    credentials: 'omit',
  });
  const requestId = response.headers.get('x-request-id') ?? undefined;
  if (!response.ok)
    throw new ApiFailure(
      response.status,
      await errorMessage(response),
      requestId,
      response.headers.get('x-venice-is-content-violation') === 'true',
    );
  const blob = await response.blob();
  return {
    blob,
    contentType: response.headers.get('content-type') ?? blob.type,
    balanceUsd: response.headers.get('x-retouch-balance-after-usd') ?? response.headers.get('x-venice-balance-usd') ?? undefined,
    chargedUsd: response.headers.get('x-retouch-charged-usd') ?? undefined,
    requestId,
    elapsedMs: performance.now() - started,
  };
}

/** The API's own words: `error`, then zod's details when present; the raw text for anything else. */
async function errorMessage(response: Response): Promise<string> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { error?: unknown; details?: unknown; issues?: unknown };
    const parts = [typeof body.error === 'string' ? body.error : JSON.stringify(body.error ?? body)];
    if (body.details !== undefined) parts.push(JSON.stringify(body.details));
    return parts.join(' ');
  } catch {
    return text.trim() || response.statusText || 'no message';
  }
}

/** Model list entry, as GET /api/v1/models returns it (only what the page reads is typed). */
export interface ModelInfo {
  id: string;
  type: string;
  model_spec: {
    name?: string;
    offline?: boolean;
    offlineReason?: string;
    pricing?: Record<string, unknown>;
    constraints?: Record<string, unknown>;
    capabilities?: Record<string, unknown>;
    [key: string]: unknown;
  };
}

/** GET /api/v1/models: a discovery route that needs no key. */
export async function fetchModels(signal?: AbortSignal): Promise<ModelInfo[]> {
  const response = await fetch(apiUrl('api/v1/models'), { signal, credentials: 'omit' });
  if (!response.ok) throw new ApiFailure(response.status, await errorMessage(response));
  const body = (await response.json()) as { data?: ModelInfo[] };
  return body.data ?? [];
}

/** How far the request sent with `token` has got (upscales: tiles done of total), or null when unknown yet. */
export async function fetchProgress(token: string, key: string): Promise<{ done: number; total: number } | null> {
  const response = await fetch(apiUrl(`api/v1/image/progress/${token}`), {
    headers: key ? { authorization: `Bearer ${key}` } : {},
    credentials: 'omit',
  });
  return response.ok ? ((await response.json()) as { done: number; total: number }) : null;
}
