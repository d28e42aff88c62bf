import type { FastifyInstance } from 'fastify';
import { createApiKey } from '../../src/accounts/api-keys.js';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/load.js';
import { SqliteStore } from '../../src/storage/sqlite-store.js';
import { TEST_CREDENTIALS } from './test-credentials.js';

export interface RealApp {
  app: FastifyInstance;
  store: SqliteStore;
  keyId: string;
  accountId: string;
  auth: { authorization: string };
}

/**
 * The real gateway on the server's default models and engines (local-edit, the detectors, the networks),
 * on an in-memory database, rate limits and the error budget off, with one key holding `creditsUsd`. For tests of what a
 * Venice client sees; gateway-only tests use createTestApp's scripted engine instead.
 */
export async function createRealApp(creditsUsd: string, name = 'real-app-test'): Promise<RealApp> {
  const config = loadConfig({
    env: {},
    overrides: {
      logLevel: 'silent',
      dataDir: '/nonexistent-test-dir',
      provenance: TEST_CREDENTIALS,
      bootstrapKey: false,
      rateLimits: { enabled: false },
      errorBudget: { enabled: false },
    },
  });
  const store = new SqliteStore(':memory:');
  const app = await buildApp(config, { store });
  const { key, record } = await createApiKey(store, { name, creditsUsd });
  return { app, store, keyId: record.id, accountId: record.accountId, auth: { authorization: `Bearer ${key}` } };
}
