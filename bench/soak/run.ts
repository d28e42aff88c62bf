/**
 * `npm run build && node --import tsx bench/soak/run.ts`: the server under steady mixed traffic for a
 * long time, on loopback only (a child `retouch serve` with a fresh data folder, rate limits off).
 * Traffic (traffic.ts): edits, multi-edits with a mask, background removals, small upscales, refused
 * upscales, bad inputs and cancelled requests, one started every SOAK_INTERVAL_MS (default 2000), at
 * most SOAK_CONCURRENCY (default 4) in flight: the run is bounded in time and in load.
 * Sampled every 10 s: server RSS (VmRSS), open file descriptors and threads (/proc), event-loop delay
 * (prom-client's p99 from /metrics), /healthz latency (probed every 250 ms) and each kind's latency.
 * Checks after the warm-up (SOAK_WARMUP_MIN, default 3), comparing its first fifth with the last fifth of
 * the run (at least a minute each): RSS grows at most 10%, descriptors and threads stay flat (within 2;
 * the threads that came or went are named), /healthz p95 and edit p50 at the end are within 20% of the
 * start, every answer is the one expected of its kind, and the ledger adds up (the balance fell by exactly
 * what the 200 answers said they charged). Curves: bench/out/soak.png. Exit code 1 if a check fails.
 * Environment: SOAK_MINUTES (default 30), SOAK_WARMUP_MIN, SOAK_INTERVAL_MS, SOAK_CONCURRENCY.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../load/server-process.js';
import { summarise } from '../load/probes.js';
import { drawCurves } from './chart.js';
import { makeKinds, type Kind, type Outcome } from './traffic.js';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 30);
const WARMUP_MS = Number(process.env.SOAK_WARMUP_MIN ?? 3) * 60_000;
const INTERVAL_MS = Number(process.env.SOAK_INTERVAL_MS ?? 2000);
const CONCURRENCY = Number(process.env.SOAK_CONCURRENCY ?? 4);
const SAMPLE_MS = 10_000;

interface Sample extends Record<string, number> {
  atMin: number;
  rssMb: number;
  fds: number;
  threads: number;
  loopP99Ms: number;
  healthP95Ms: number;
  editP50Ms: number;
}

// The first key's $5 of bootstrap credits run out in about 15 minutes of this traffic, and every answer
// after that would be a 402: give it enough for the whole run.
const configDir = mkdtempSync(join(tmpdir(), 'retouch-soak-'));
writeFileSync(join(configDir, 'config.json'), JSON.stringify({ bootstrapCreditsUsd: '1000' }));
const server = await startServer({ RETOUCH_CONFIG: join(configDir, 'config.json') });
rmSync(configDir, { recursive: true, force: true });
const kinds = await makeKinds();
const schedule: Kind[] = kinds.flatMap((k) => Array<Kind>(k.weight).fill(k));
const outcomes: Array<{ kind: string; at: number } & Outcome> = [];
const failures: string[] = [];
const samples: Sample[] = [];
const started = Date.now();
const elapsed = () => Date.now() - started;
let health: number[] = [];
/** Every /healthz latency with when it was taken, for the start-against-end comparison. */
const healthLog: Array<{ at: number; ms: number }> = [];
let inFlight = 0;

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${server.address}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
}

const healthLoop = (async () => {
  while (elapsed() < MINUTES * 60_000) {
    const t = performance.now();
    const res = await fetch(`${server.address}/healthz`).catch(() => null);
    await res?.arrayBuffer();
    if (res?.status !== 200)
      failures.push(`/healthz answered ${res?.status ?? 'nothing'} at ${(elapsed() / 60_000).toFixed(1)} min`);
    health.push(performance.now() - t);
    healthLog.push({ at: Date.now(), ms: performance.now() - t });
    await new Promise((r) => setTimeout(r, 250));
  }
})();

/** The server's threads by name (/proc/PID/task/N/comm): node's own, libuv's pool, workers, ONNX Runtime's. */
function threadNames(): Map<string, number> {
  const names = new Map<string, number>();
  for (const task of readdirSync(`/proc/${server.pid}/task`)) {
    const name = readFileSync(`/proc/${server.pid}/task/${task}/comm`, 'utf8').trim();
    names.set(name, (names.get(name) ?? 0) + 1);
  }
  return names;
}
let threadsAtWarmup: Map<string, number> | undefined;

const sampler = setInterval(async () => {
  if (!threadsAtWarmup && elapsed() >= WARMUP_MS) threadsAtWarmup = threadNames();
  const since = Date.now() - SAMPLE_MS;
  const edits = outcomes.filter((o) => o.kind === 'edit' && o.at >= since && o.status === 200).map((o) => o.ms);
  const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
  samples.push({
    atMin: elapsed() / 60_000,
    rssMb: server.rssMb(),
    fds: readdirSync(`/proc/${server.pid}/fd`).length,
    threads: Number(/Threads:\s+(\d+)/.exec(status)?.[1]),
    loopP99Ms: (await metric('retouch_nodejs_eventloop_lag_p99_seconds')) * 1000,
    healthP95Ms: summarise(health).p95,
    editP50Ms: summarise(edits).p50,
  });
  health = [];
}, SAMPLE_MS);

// The ledger: a request alone before the traffic and one alone after it; between them the balance must
// fall by exactly what the traffic's 200 answers said they charged.
async function ledgerProbe(): Promise<{ beforeMicros: number; chargedMicros: number }> {
  const edit = kinds.find((k) => k.name === 'edit')!;
  const response = await fetch(`${server.address}/api/v1/image/edit`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ image: edit.probeImage, prompt: 'make it black and white' }),
  });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`the ledger probe answered ${response.status}`);
  const usd = (name: string) => Math.round(Number(response.headers.get(name)) * 1e6);
  return { beforeMicros: usd('x-venice-balance-usd'), chargedMicros: usd('x-retouch-charged-usd') };
}
const opening = await ledgerProbe();

console.log(
  `# soak, ${new Date().toISOString()}: ${MINUTES} min, one request every ${INTERVAL_MS} ms, load ${loadavg()[0].toFixed(1)}`,
);
let turn = 0;
const running: Array<Promise<void>> = [];
while (elapsed() < MINUTES * 60_000) {
  if (inFlight < CONCURRENCY) {
    const kind = schedule[turn++ % schedule.length];
    inFlight++;
    const job = kind
      .send(server.address, server.key)
      .then((outcome) => {
        outcomes.push({ kind: kind.name, at: Date.now(), ...outcome });
        const fine = kind.expected.includes(outcome.status) || (outcome.status === 503 && outcome.retryAfter);
        if (!fine) failures.push(`${kind.name}: status ${outcome.status} at ${(elapsed() / 60_000).toFixed(1)} min`);
      })
      .catch((error: Error) => {
        failures.push(`${kind.name}: ${error.message}`);
      })
      .finally(() => {
        inFlight--;
      });
    running.push(job);
  }
  await new Promise((r) => setTimeout(r, INTERVAL_MS));
}
// The curves end with the traffic: the requests still in flight finish unsampled.
clearInterval(sampler);
await Promise.all(running);
await healthLoop;

const threadsAtEnd = threadNames();
/** Which threads came or went between the end of the warm-up and the end (named, to tell a leak from a pool). */
function threadChange(): string {
  if (!threadsAtWarmup) return '';
  const names = new Set([...threadsAtWarmup.keys(), ...threadsAtEnd.keys()]);
  const changes = [...names]
    .map((name) => [name, (threadsAtEnd.get(name) ?? 0) - (threadsAtWarmup!.get(name) ?? 0)] as const)
    .filter(([, d]) => d !== 0)
    .map(([name, d]) => `${name} ${d > 0 ? '+' : ''}${d}`);
  return changes.length > 0 ? ` (${changes.join(', ')})` : '';
}
const closing = await ledgerProbe();
const charged = outcomes.reduce((sum, o) => sum + o.chargedMicros, 0);
const ledgerGap = opening.beforeMicros - opening.chargedMicros - charged - closing.beforeMicros;
await server.stop();

const after = samples.filter((s) => s.atMin * 60_000 >= WARMUP_MS);
// The start and the end: the first and the last fifth of the time after the warm-up (at least a minute
// each, 6 samples), so that latencies are compared over tens of answers, not the few of one sample.
const windowMs = Math.max(60_000, (MINUTES * 60_000 - WARMUP_MS) / 5);
const first = after.filter((s) => s.atMin * 60_000 < WARMUP_MS + windowMs);
const last = after.filter((s) => s.atMin * 60_000 > MINUTES * 60_000 - windowMs);
const mid = (list: Sample[], key: keyof Sample) => summarise(list.map((s) => s[key]).filter(Number.isFinite)).p50;
const startAt = started + WARMUP_MS;
const endAt = started + MINUTES * 60_000;
const inWindow = <T extends { at: number }>(list: T[], from: number, to: number) => list.filter((x) => x.at >= from && x.at < to);
const editsOk = outcomes.filter((o) => o.kind === 'edit' && o.status === 200);
const latency = {
  '/healthz p95': [
    summarise(inWindow(healthLog, startAt, startAt + windowMs).map((h) => h.ms)).p95,
    summarise(inWindow(healthLog, endAt - windowMs, endAt).map((h) => h.ms)).p95,
  ],
  'edit p50': [
    summarise(inWindow(editsOk, startAt, startAt + windowMs).map((o) => o.ms)).p50,
    summarise(inWindow(editsOk, endAt - windowMs, endAt).map((o) => o.ms)).p50,
  ],
};
const checks: Array<[string, boolean, string]> = [];
if (first.length > 0 && last.length > 0) {
  const growth = mid(last, 'rssMb') / mid(first, 'rssMb') - 1;
  checks.push(['RSS grows at most 10% after warm-up', growth <= 0.1, `${(growth * 100).toFixed(1)}%`]);
  checks.push([
    'open descriptors flat',
    Math.abs(mid(last, 'fds') - mid(first, 'fds')) <= 2,
    `${mid(first, 'fds')} -> ${mid(last, 'fds')}`,
  ]);
  // libvips starts and ends its worker threads with demand: one or two either way is not growth.
  checks.push([
    'threads flat',
    mid(last, 'threads') - mid(first, 'threads') <= 2,
    `${mid(first, 'threads')} -> ${mid(last, 'threads')}${threadChange()}`,
  ]);
  for (const [name, [start, end]] of Object.entries(latency)) {
    const ratio = end / start;
    checks.push([
      `${name} at the end within 20% of the start`,
      ratio <= 1.2,
      `${start.toFixed(0)} -> ${end.toFixed(0)} ms, ${ratio.toFixed(2)}x`,
    ]);
  }
}
checks.push(['no failed answers', failures.length === 0, `${failures.length}`]);
checks.push([
  'the ledger adds up to the answers',
  ledgerGap === 0,
  `charged $${(charged / 1e6).toFixed(6)}, gap ${ledgerGap} micro-USD`,
]);
for (const [name, ok, value] of checks) console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${value}`);
if (checks.some(([, ok]) => !ok)) process.exitCode = 1;
for (const f of failures.slice(0, 20)) console.log(`  ${f}`);
for (const kind of kinds) {
  const list = outcomes.filter((o) => o.kind === kind.name);
  const s = summarise(list.map((o) => o.ms));
  console.log(`${kind.name}: ${list.length} answers, p50 ${s.p50.toFixed(0)} ms, p95 ${s.p95.toFixed(0)} ms`);
}
mkdirSync('bench/out', { recursive: true });
await drawCurves('bench/out/soak.png', samples, WARMUP_MS / 60_000);
console.log('curves: bench/out/soak.png');
