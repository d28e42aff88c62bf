import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { buildApp } from '../../src/app.js';
import { createApiKey } from '../../src/accounts/api-keys.js';
import { loadConfig } from '../../src/config/load.js';
import { SqliteStore } from '../../src/storage/sqlite-store.js';

/**
 * The server under test, run as its own process by edit-bench.ts so that the client's work does not share
 * its event loop: the real app (gateway, credits, queue, local-edit engine) on an in-memory database,
 * with rate limits off. Prints `{"port":..., "key":"...", "sharpConcurrency":...}` on one line once listening; stops on SIGTERM.
 */

const dataDir = mkdtempSync(path.join(tmpdir(), 'retouch-bench-'));
const config = loadConfig({
  env: {},
  overrides: { logLevel: 'silent', host: '127.0.0.1', port: 0, dataDir, bootstrapKey: false, rateLimits: { enabled: false } },
});
const store = new SqliteStore(':memory:');
const app = await buildApp(config, { store });
const { key } = await createApiKey(store, { name: 'bench', creditsUsd: '1000' });
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;
process.stdout.write(`${JSON.stringify({ port, key, sharpConcurrency: sharp.concurrency() })}\n`);

process.once('SIGTERM', () => {
  void app.close().finally(() => {
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
});
