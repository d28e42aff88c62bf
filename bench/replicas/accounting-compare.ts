import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createTestDatabase } from '../../test/helpers/postgres.js';

/**
 * The accounting path of this checkout against another checkout of retouch (typically the release before
 * accounts, c361725), in one process: the two sides run alternately, scenario by scenario, so that a busy
 * machine slows both alike and the ratio stays readable. Every key of this checkout has a spend limit (USD
 * per UTC day, far above what the run spends); the other side's keys get the same option, which releases
 * without limits ignore. Besides the rates it counts the SQL statements each side runs per reserve +
 * commit (SQLite: statements executed; PostgreSQL: round trips), which no load changes, and the process's
 * CPU time per operation (PostgreSQL's own work is not in it), which a busy machine changes far less than
 * the rates: on a shared disk the rates follow the fsync latency of the moment.
 *
 * Run from the repository root, with the other checkout's dependencies installed (or linked):
 *   node --import tsx bench/replicas/accounting-compare.ts /work/wt-before-accounts [repeats] [ops] [--only=sqlite|postgres]
 */
interface Reservation {
  id: number;
}
interface AnyStore {
  reserve(keyId: string, requestId: string, micros: number, hold?: object): Promise<Reservation | null>;
  commit(reservation: Reservation, usage: object): Promise<unknown>;
  close(): Promise<void>;
}
interface Side {
  name: string;
  SqliteStore: new (path: string) => AnyStore;
  PostgresStore: new (options: { connectionString: string; poolSize?: number }) => AnyStore;
  createApiKey(store: AnyStore, options: object): Promise<{ record: { id: string } }>;
}

const [otherDir, repeatsArg, opsArg] = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
if (!otherDir) throw new Error('usage: accounting-compare.ts <other checkout> [repeats] [ops] [--only=sqlite|postgres]');
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
const repeats = Number(repeatsArg ?? 5);
const ops = Number(opsArg ?? 2_000);
const usage = { route: 'edit', model: 'bench', status: 200, durationMs: 1, inputPixels: 1, outputPixels: 1 };

async function loadSide(name: string, root: string): Promise<Side> {
  const load = (path: string) => import(pathToFileURL(join(root, path)).href);
  return {
    name,
    SqliteStore: (await load('src/storage/sqlite-store.ts')).SqliteStore,
    PostgresStore: (await load('src/storage/postgres/postgres-store.ts')).PostgresStore,
    createApiKey: (await load('src/accounts/api-keys.ts')).createApiKey,
  };
}

/** Counts what the store sends to its database: prepared SQLite statements run, PostgreSQL queries. */
const counted = { statements: 0 };
async function countStatements(): Promise<void> {
  const Database = (await import('better-sqlite3')).default;
  const statementProto = Object.getPrototypeOf(new Database(':memory:').prepare('SELECT 1'));
  for (const method of ['run', 'get', 'all'] as const) {
    const original = statementProto[method];
    statementProto[method] = function (this: unknown, ...args: unknown[]) {
      counted.statements++;
      return original.apply(this, args);
    };
  }
  const pg = (await import('pg')).default;
  const query = pg.Client.prototype.query;
  // pg's query has many overloads; the wrapper passes them all through.
  (pg.Client.prototype as unknown as { query: unknown }).query = function (this: unknown, ...args: unknown[]) {
    counted.statements++;
    return (query as (...rest: unknown[]) => unknown).apply(this, args);
  };
}

async function oneRequest(store: AnyStore, keyId: string, n: number): Promise<void> {
  const reservation = await store.reserve(keyId, `r${n}`, 10, usage);
  if (!reservation) throw new Error('out of credit');
  await store.commit(reservation, { ...usage, requestId: `r${n}` });
}

/** Operations per second, and this process's CPU time (user + system) per operation in µs. */
async function measure(store: AnyStore, keyIds: string[], lanes: number): Promise<{ rate: number; cpuUs: number }> {
  let next = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      while (next < ops) await oneRequest(store, keyIds[lane % keyIds.length], next++);
    }),
  );
  const used = process.cpuUsage(cpu);
  return { rate: ops / ((performance.now() - started) / 1000), cpuUs: (used.user + used.system) / ops };
}

const SCENARIOS = [
  { name: 'sequential, 1 key', keys: 1, lanes: 1 },
  { name: '16 in flight, 16 keys', keys: 16, lanes: 16 },
  { name: '16 in flight, 1 key', keys: 1, lanes: 16 },
];
const limits = { usdMicros: 900_000_000, diem: null, period: 'EPOCH' as const };
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

interface Opened {
  side: Side;
  store: AnyStore;
  keys: string[];
}

async function open(side: Side, store: AnyStore): Promise<Opened> {
  const keys = [];
  for (let i = 0; i < 16; i++) keys.push((await side.createApiKey(store, { creditsUsd: '1000', limits })).record.id);
  return { side, store, keys };
}

async function statementsPerRequest(opened: Opened): Promise<number> {
  const before = counted.statements;
  for (let n = 0; n < 100; n++) await oneRequest(opened.store, opened.keys[0], 1e9 + n);
  return (counted.statements - before) / 100;
}

/** Both sides, alternating which goes first, scenario by scenario; medians per side and their ratio. */
async function compare(label: string, a: Opened, b: Opened): Promise<void> {
  const rates = new Map<string, { a: number[]; b: number[] }>(SCENARIOS.map((s) => [s.name, { a: [], b: [] }]));
  const cpu = new Map<string, { a: number[]; b: number[] }>(SCENARIOS.map((s) => [s.name, { a: [], b: [] }]));
  const statements = { a: await statementsPerRequest(a), b: await statementsPerRequest(b) };
  const loads: number[] = [];
  for (let r = 0; r < repeats; r++) {
    for (const scenario of SCENARIOS) {
      const order = r % 2 === 0 ? ([a, b] as const) : ([b, a] as const);
      for (const side of order) {
        const { rate, cpuUs } = await measure(side.store, side.keys.slice(0, scenario.keys), scenario.lanes);
        rates.get(scenario.name)![side === a ? 'a' : 'b'].push(rate);
        cpu.get(scenario.name)![side === a ? 'a' : 'b'].push(cpuUs);
      }
    }
    loads.push(loadavg()[0]);
  }
  console.log(`\n${label}: statements per reserve + commit: ${a.side.name} ${statements.a}, ${b.side.name} ${statements.b}`);
  console.log(`load average (1 min) after each round: ${loads.map((l) => l.toFixed(1)).join(', ')}`);
  console.log(
    `| scenario | ${a.side.name} /s | ${b.side.name} /s | ratio of rates (median of per-round ratios) | CPU µs per op, ${a.side.name} / ${b.side.name} |`,
  );
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const [name, { a: ra, b: rb }] of rates) {
    const ratios = ra.map((value, i) => rb[i] / value);
    const { a: ca, b: cb } = cpu.get(name)!;
    console.log(
      `| ${name} | ${median(ra).toFixed(0)} | ${median(rb).toFixed(0)} | ${median(ratios).toFixed(2)} | ${median(ca).toFixed(0)} / ${median(cb).toFixed(0)} |`,
    );
  }
}

await countStatements();
const before = await loadSide('before', resolve(otherDir));
const after = await loadSide('this checkout', process.cwd());
console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; ` +
    `${repeats} rounds of ${ops} reserve + commit per scenario and side`,
);

const dir = mkdtempSync(join(tmpdir(), 'retouch-bench-accounting-'));
const databases = [await createTestDatabase(), await createTestDatabase()];
try {
  if (only !== 'postgres') {
    const sqlite = [
      await open(before, new before.SqliteStore(join(dir, 'before.sqlite'))),
      await open(after, new after.SqliteStore(join(dir, 'after.sqlite'))),
    ];
    await compare('SQLite', sqlite[0], sqlite[1]);
    for (const { store } of sqlite) await store.close();
  }
  if (only !== 'sqlite') {
    const postgres = [
      await open(before, new before.PostgresStore({ connectionString: databases[0].url, poolSize: 16 })),
      await open(after, new after.PostgresStore({ connectionString: databases[1].url, poolSize: 16 })),
    ];
    await compare('PostgreSQL', postgres[0], postgres[1]);
    for (const { store } of postgres) await store.close();
  }
} finally {
  for (const database of databases) await database.drop();
  rmSync(dir, { recursive: true, force: true });
}
