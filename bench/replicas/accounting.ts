import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createApiKey } from '../../src/accounts/api-keys.js';
import { PostgresStore } from '../../src/storage/postgres/postgres-store.js';
import { SqliteStore } from '../../src/storage/sqlite-store.js';
import type { Store } from '../../src/storage/store.js';
import { createTestDatabase } from '../../test/helpers/postgres.js';

/**
 * The accounting path alone: reserve + commit (which writes the usage row) per second, on the embedded
 * SQLite file (the reference) and on PostgreSQL (127.0.0.1:5432, a throw-away database), one request at a
 * time and with 16 in flight (16 keys, or all on one key: the row lock every reservation takes).
 * Every key has a spend limit (USD per UTC day, far above what the run spends), so each reservation also
 * checks and counts it, as production keys with limits do; `--no-limits` leaves the keys unlimited.
 * Run from the repository root:  node --import tsx bench/replicas/accounting.ts [repeats] [ops] [--no-limits]
 */
const args = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const withLimits = !process.argv.includes('--no-limits');
const repeats = Number(args[0] ?? 5);
const ops = Number(args[1] ?? 2_000);
const usage = { route: 'edit', model: 'bench', status: 200, durationMs: 1, inputPixels: 1, outputPixels: 1 };

async function oneRequest(store: Store, keyId: string, n: number): Promise<void> {
  const reservation = await store.reserve(keyId, `r${n}`, 10, usage);
  if (!reservation) throw new Error('out of credit');
  await store.commit(reservation, { ...usage, requestId: `r${n}` });
}

/** Operations per second with `lanes` requests in flight, spread over `keys`. */
async function measure(store: Store, keyIds: string[], lanes: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      while (next < ops) await oneRequest(store, keyIds[lane % keyIds.length], next++);
    }),
  );
  return ops / ((performance.now() - started) / 1000);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function scenarios(store: Store): Promise<Record<string, number>> {
  const keys = [];
  const limits = withLimits ? { usdMicros: 900_000_000, diem: null, period: 'EPOCH' as const } : undefined;
  for (let i = 0; i < 16; i++) keys.push((await createApiKey(store, { creditsUsd: '1000', limits })).record.id);
  const results: Record<string, number[]> = { 'sequential, 1 key': [], '16 in flight, 16 keys': [], '16 in flight, 1 key': [] };
  for (let r = 0; r < repeats; r++) {
    results['sequential, 1 key'].push(await measure(store, keys.slice(0, 1), 1));
    results['16 in flight, 16 keys'].push(await measure(store, keys, 16));
    results['16 in flight, 1 key'].push(await measure(store, keys.slice(0, 1), 16));
  }
  return Object.fromEntries(Object.entries(results).map(([name, values]) => [name, median(values)]));
}

const dir = mkdtempSync(join(tmpdir(), 'retouch-bench-accounting-'));
const database = await createTestDatabase();
try {
  const sqlite = new SqliteStore(join(dir, 'bench.sqlite'));
  const sqliteRates = await scenarios(sqlite);
  await sqlite.close();
  const postgres = new PostgresStore({ connectionString: database.url, poolSize: 16 });
  const postgresRates = await scenarios(postgres);
  await postgres.close();

  console.log(
    `machine: ${cpus().length} × ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  );
  console.log(
    `reserve + commit (with usage row) per second, keys ${withLimits ? 'with' : 'without'} spend limits, median of ${repeats} runs of ${ops}:`,
  );
  console.log('| scenario | SQLite (reference) | PostgreSQL | PostgreSQL / SQLite |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const name of Object.keys(sqliteRates)) {
    console.log(
      `| ${name} | ${sqliteRates[name].toFixed(0)} | ${postgresRates[name].toFixed(0)} | ${(postgresRates[name] / sqliteRates[name]).toFixed(2)} |`,
    );
  }
} finally {
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
}
