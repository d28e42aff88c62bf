// The server side of the throughput measurement of `npm run bench:bg`: the real app with the real
// background-removal engine, on 127.0.0.1 and a free port, a fresh database in a temporary folder and one
// API key with ample credits. Prints {"address", "key"} as one line, then serves until it is killed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiKey } from '../../src/accounts/api-keys.js';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/load.js';

const dataDir = mkdtempSync(join(tmpdir(), 'retouch-bench-bg-'));
const config = loadConfig({
  env: {},
  overrides: {
    host: '127.0.0.1',
    port: 0,
    dataDir,
    logLevel: 'warn',
    bootstrapKey: false,
    rateLimits: { enabled: false },
    workers: { segmentation: Number(process.env.BENCH_BG_WORKERS ?? 0) },
  },
});
const app = await buildApp(config);
const { key } = await createApiKey(app.services.store, { name: 'bench', creditsUsd: '1000' });
const address = await app.listen({ host: config.host, port: config.port });
process.stdout.write(`${JSON.stringify({ address, key })}\n`);
const stop = async () => {
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
