import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createApiKey } from '../../src/accounts/api-keys.js';
import { PostgresStore } from '../../src/storage/postgres/postgres-store.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { dropRedisPrefix, testRedisPrefix, TEST_REDIS_URL } from '../helpers/redis.js';

/**
 * Real `retouch serve` processes sharing one PostgreSQL database and one Redis prefix made for the test
 * run. The test process holds its own store on the same database to create keys and read the ledger.
 */
export interface ReplicaProcess {
  url: string;
  port: number;
  child: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
}

export class ReplicaCluster {
  readonly replicas: ReplicaProcess[] = [];
  readonly store: PostgresStore;
  private readonly dir = mkdtempSync(join(tmpdir(), 'retouch-replicas-'));

  private constructor(
    readonly database: TestDatabase,
    readonly redisPrefix: string,
    readonly configPath: string,
  ) {
    this.store = new PostgresStore({ connectionString: database.url, poolSize: 4 });
  }

  /** A new database and Redis prefix, and a config file (JSON) shared by every replica. */
  static async create(config: Record<string, unknown>): Promise<ReplicaCluster> {
    const database = await createTestDatabase();
    const dir = mkdtempSync(join(tmpdir(), 'retouch-replicas-config-'));
    const configPath = join(dir, 'config.json');
    const settings = { logLevel: 'warn', bootstrapKey: false, workers: { imaging: 1, segmentation: 1 }, ...config };
    writeFileSync(configPath, JSON.stringify(settings));
    const cluster = new ReplicaCluster(database, testRedisPrefix(), configPath);
    await cluster.store.countKeys(); // migrates once, before the replicas start
    return cluster;
  }

  /** A key in an account of its own holding `creditsUsd`; returns the bearer secret, its id and the account's. */
  async key(creditsUsd: string): Promise<{ key: string; keyId: string; accountId: string }> {
    const { key, record } = await createApiKey(this.store, { name: 'replicas', creditsUsd });
    return { key, keyId: record.id, accountId: record.accountId };
  }

  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      ...(process.env as Record<string, string>),
      RETOUCH_CONFIG: this.configPath,
      RETOUCH_DATABASE_URL: this.database.url,
      RETOUCH_REDIS_URL: TEST_REDIS_URL,
      RETOUCH_REDIS_PREFIX: this.redisPrefix,
      RETOUCH_DATA_DIR: this.dir,
      RETOUCH_HOST: '127.0.0.1',
      RETOUCH_PORT: '0',
      ...extra,
    };
  }

  /** Starts one replica and waits until it listens. */
  async start(extraEnv: Record<string, string> = {}): Promise<ReplicaProcess> {
    const child = spawn(process.execPath, [resolve('dist/src/cli/main.js'), 'serve'], {
      env: this.env(extraEnv),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const url = await new Promise<string>((resolveUrl, reject) => {
      const timer = setTimeout(() => reject(new Error(`replica did not start:\n${output.join('')}`)), 30_000);
      const onData = (chunk: Buffer) => {
        output.push(chunk.toString());
        const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(output.join(''));
        if (match) {
          clearTimeout(timer);
          resolveUrl(match[1]);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`replica exited with ${code}:\n${output.join('')}`));
      });
    });
    const replica = { url, port: Number(new URL(url).port), child, output, exited };
    this.replicas.push(replica);
    return replica;
  }

  /** Stops every replica (SIGTERM, then SIGKILL), drops the database and the Redis keys. */
  async close(): Promise<void> {
    for (const replica of this.replicas) {
      if (replica.child.exitCode === null && replica.child.signalCode === null) replica.child.kill('SIGTERM');
      const killer = setTimeout(() => replica.child.kill('SIGKILL'), 10_000);
      await replica.exited;
      clearTimeout(killer);
    }
    await this.store.close();
    await this.database.drop();
    await dropRedisPrefix(this.redisPrefix);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** POST /api/v1/image/edit with a JSON body to one replica. */
export async function edit(
  baseUrl: string,
  key: string,
  image: string,
  headers: Record<string, string> = {},
  prompt = 'make it a negative',
) {
  const res = await fetch(`${baseUrl}/api/v1/image/edit`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ prompt, image }),
  });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

/** The config of a model served by the `venice` engine, forwarding to `upstreamUrl`. */
export function slowModel(upstreamUrl: string, capacity: Record<string, number> = {}) {
  return {
    engine: 'venice',
    priceUsd: 0.01,
    capacity: { maxConcurrent: 8, maxQueue: 64, queueTimeoutMs: 60_000, ...capacity },
    options: {
      endpoints: [{ url: upstreamUrl, maxConcurrent: 64 }],
      model: 'upstream-edit',
      healthCheckIntervalMs: 0,
      retries: 0,
    },
  };
}

/**
 * Background removal (`bg-remove`) forwarded to the same test server: replicas then never load the local segmentation
 * model (about 1 GB each), which these tests do not exercise.
 */
export function slowCutoutModel(upstreamUrl: string) {
  return { ...slowModel(upstreamUrl), type: 'background-removal', priceUsd: 0.02, combineImages: false };
}
