import autocannon from 'autocannon';
import { cpus, totalmem } from 'node:os';
import { samplePng } from '../../test/helpers/test-app.js';
import { NginxProxy } from '../../test/replicas/nginx-proxy.js';
import { ReplicaCluster } from '../../test/replicas/replica-cluster.js';

/**
 * End-to-end requests per second of a cheap edit (`local-edit`, "make it brighter" on a 320×240 PNG)
 * through nginx (deploy/nginx/retouch.conf) with 1, 2 and 3 replicas sharing PostgreSQL and Redis, and,
 * as the reference, one replica without nginx. autocannon on loopback, 16 connections, bounded in time.
 * Needs `npm run build` first (replicas run dist/). From the repository root:
 *   node --import tsx bench/replicas/nginx-scaling.ts [repeats] [seconds]
 */
const repeats = Number(process.argv[2] ?? 3);
const seconds = Number(process.argv[3] ?? 10);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

interface Run {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
}

async function load(url: string, key: string, body: string): Promise<Run> {
  const result = await autocannon({
    url: `${url}/api/v1/image/edit`,
    method: 'POST',
    connections: 16,
    duration: seconds,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body,
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx + result.errors,
  };
}

const image = (await samplePng(320, 240)).toString('base64');
const body = JSON.stringify({ model: 'local-edit', prompt: 'make it brighter', image });
const rows: Array<[string, Run]> = [];

async function scenario(name: string, replicas: number, viaNginx: boolean): Promise<void> {
  const cluster = await ReplicaCluster.create({
    rateLimits: { enabled: false },
    workers: { imaging: 1, segmentation: 1 },
    models: {
      // Cutouts are not measured: forwarded to an address that is never called, so no replica loads ISNet.
      'bg-remove': {
        engine: 'venice',
        type: 'background-removal',
        priceUsd: 0.02,
        options: { endpoints: [{ url: 'http://127.0.0.1:9' }], healthCheckIntervalMs: 0 },
      },
    },
  });
  let nginx: NginxProxy | undefined;
  try {
    for (let i = 0; i < replicas; i++) await cluster.start();
    const { key } = await cluster.key('100000');
    nginx = viaNginx ? await NginxProxy.start(cluster.replicas.map((r) => r.port)) : undefined;
    const url = nginx?.url ?? cluster.replicas[0].url;
    await load(url, key, body); // warm-up: JIT, connections, worker threads
    const runs: Run[] = [];
    for (let r = 0; r < repeats; r++) runs.push(await load(url, key, body));
    const row = {
      rps: median(runs.map((r) => r.rps)),
      p50: median(runs.map((r) => r.p50)),
      p99: median(runs.map((r) => r.p99)),
      non2xx: runs.reduce((s, r) => s + r.non2xx, 0),
    };
    rows.push([name, row]);
    console.error(`${name}: ${row.rps.toFixed(1)} req/s`);
  } finally {
    await nginx?.stop();
    await cluster.close();
  }
}

await scenario('1 replica, direct (reference)', 1, false);
await scenario('nginx → 1 replica', 1, true);
await scenario('nginx → 2 replicas', 2, true);
await scenario('nginx → 3 replicas', 3, true);

const reference = rows[0][1].rps;
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
console.log(`cheap edit end to end, 16 connections, median of ${repeats} runs of ${seconds} s:`);
console.log('| set-up | req/s | vs reference | p50 ms | p99 ms | non-2xx |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const [name, run] of rows) {
  console.log(
    `| ${name} | ${run.rps.toFixed(1)} | ${(run.rps / reference).toFixed(2)} | ${run.p50} | ${run.p99} | ${run.non2xx} |`,
  );
}
