import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { createApiKey } from '../../src/accounts/api-keys.js';
import { loadConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { SqliteStore } from '../../src/storage/sqlite-store.js';
import { TEST_CREDENTIALS } from '../helpers/test-credentials.js';

export interface RealApp {
  app: FastifyInstance;
  store: SqliteStore;
  auth: { authorization: string };
  close(): Promise<void>;
}

/**
 * The product's own engines (local-edit, the ISNet background remover) behind the real app, on an
 * in-memory database, rate limits and the error budget off (these tests send hundreds of refused requests
 * on purpose; the budget has its own tests), with a key holding plenty of credit: what a hostile client meets.
 */
export async function createRealApp(overrides: ConfigInput = {}): Promise<RealApp> {
  const config = loadConfig({
    env: {},
    overrides: {
      logLevel: 'silent',
      dataDir: '/nonexistent-test-dir',
      provenance: TEST_CREDENTIALS,
      rateLimits: { enabled: false },
      errorBudget: { enabled: false },
      workers: { segmentation: 1, imaging: 2 },
      ...overrides,
    },
  });
  const store = new SqliteStore(':memory:');
  const app = await buildApp(config, { store });
  const { key } = await createApiKey(store, { name: 'hostile', creditsUsd: '1000' });
  return {
    app,
    store,
    auth: { authorization: `Bearer ${key}` },
    async close() {
      // The imaging and segmentation pools are the app's own resources: closing it closes them.
      await app.close();
    },
  };
}

/** Tallies answers so a suite can report "0 crashes, 0 5xx" and name the first few that were not. */
export class AnswerTally {
  readonly byStatus = new Map<number, number>();
  readonly serverErrors: string[] = [];

  record(label: string, status: number, body: string): void {
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
    if (status >= 500 && !(status === 503)) this.serverErrors.push(`${label}: ${status} ${body.slice(0, 200)}`);
  }

  summary(): string {
    const counts = [...this.byStatus]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}x${n}`)
      .join(' ');
    return `${counts}; 5xx: ${this.serverErrors.length}`;
  }
}
