import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { median, percentile } from './stats.js';

export interface ThroughputResult {
  workers: string;
  requests: number;
  failures: number;
  imagesPerMinute: number;
  peakRssMb: number;
  health: { count: number; p50: number; p99: number; max: number };
}

/**
 * Starts the server (bench/bg/server.ts) in a child process, sends `requests` background removals from
 * `concurrency` clients at once (JSON base64, cycling through the photos), and meanwhile asks /healthz
 * every 100 ms. Reports images per minute, the health check's latencies while the cores are busy, and the
 * server's peak RSS (VmHWM of its process, worker threads included).
 */
export async function measureThroughput(
  photos: Buffer[],
  options: { workers: number; requests: number; concurrency: number },
): Promise<ThroughputResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/bg/server.ts'], {
    env: { ...process.env, BENCH_BG_WORKERS: String(options.workers), MALLOC_ARENA_MAX: '2' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const first = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next();
    if (first.done) throw new Error('the bench server exited before listening');
    const { address, key } = JSON.parse(first.value) as { address: string; key: string };
    const bodies = photos.map((bytes) => JSON.stringify({ image: bytes.toString('base64') }));
    const post = async (body: string) => {
      const response = await fetch(`${address}/api/v1/image/background-remove`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body,
      });
      await response.arrayBuffer();
      return response.ok;
    };
    // Warm-up: one request per worker at once, so that every worker has loaded its session.
    await Promise.all(Array.from({ length: Math.max(1, options.workers) }, () => post(bodies[0])));

    const health: number[] = [];
    let probing = true;
    const probe = (async () => {
      while (probing) {
        const started = performance.now();
        await (await fetch(`${address}/healthz`)).arrayBuffer();
        health.push(performance.now() - started);
        await new Promise((done) => setTimeout(done, 100));
      }
    })();

    let next = 0;
    let failures = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (next < options.requests) {
          const index = next++;
          if (!(await post(bodies[index % bodies.length]))) failures++;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    probing = false;
    await probe;
    return {
      workers: options.workers === 0 ? 'default' : String(options.workers),
      requests: options.requests,
      failures,
      imagesPerMinute: ((options.requests - failures) / seconds) * 60,
      peakRssMb: peakRssMb(child.pid!),
      health: { count: health.length, p50: median(health), p99: percentile(health, 99), max: Math.max(...health) },
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((done) => child.once('exit', done));
  }
}

/** The process's high-water mark of resident memory, from /proc (Linux). */
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}
