import sharp from 'sharp';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { createApiKey } from '../../src/accounts/api-keys.js';
import { loadConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { SqliteStore } from '../../src/storage/sqlite-store.js';

/** Real servers of ours on 127.0.0.1 for the generative-backend end-to-end tests, and what they check. */

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  key: string;
  store: SqliteStore;
}

/** A server with an in-memory store and a key holding $10, listening on a free port of 127.0.0.1. */
export async function startServer(config: ConfigInput): Promise<RunningServer> {
  const store = new SqliteStore(':memory:');
  const app = await buildApp(
    loadConfig({ env: {}, overrides: { logLevel: 'silent', rateLimits: { enabled: false }, bootstrapKey: false, ...config } }),
    { store },
  );
  const { key } = await createApiKey(store, { name: 'e2e', creditsUsd: '10' });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url, key, store };
}

/** Fast health checks and retries, so that the tests see state changes quickly. */
export const QUICK = { healthCheckIntervalMs: 100, retryBaseDelayMs: 5 };

/** POST to /api/v1/<route> with the server's key: JSON for an object, multipart for a built body. */
export async function callApi(server: RunningServer, route: string, body: unknown, headers: Record<string, string> = {}) {
  const isMultipart = Buffer.isBuffer(body);
  const res = await fetch(`${server.url}/api/v1/${route}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${server.key}`,
      ...(isMultipart ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: isMultipart ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

export async function raw(png: Buffer) {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  return { data, ...info };
}

/** Mean difference from the negative of `original`: the ComfyUI test double's "model" negates its input. */
export async function distanceFromNegative(output: Buffer, original: Buffer): Promise<number> {
  const a = await raw(output);
  const b = await sharp(original).removeAlpha().negate().resize(a.width, a.height, { fit: 'fill' }).raw().toBuffer();
  let sum = 0;
  for (let i = 0; i < a.width * a.height; i++)
    for (let c = 0; c < 3; c++) sum += Math.abs(a.data[i * a.channels + c] - b[i * 3 + c]);
  return sum / (a.width * a.height * 3);
}
