import type { ServerProcess } from './server-process.js';

export interface Summary {
  p50: number;
  p95: number;
  max: number;
  count: number;
}

export function summarise(values: number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { p50: at(0.5), p95: at(0.95), max: sorted.at(-1) ?? NaN, count: sorted.length };
}

/**
 * While `work` runs: asks /healthz every 50 ms (its latency is what a load balancer sees) and samples the
 * server's RSS every 100 ms. Returns both, with the work's own result.
 */
export async function whileProbing<T>(
  server: ServerProcess,
  work: () => Promise<T>,
): Promise<{ result: T; health: Summary; healthFailures: string[]; peakRssMb: number }> {
  const health: number[] = [];
  const healthFailures: string[] = [];
  let peakRssMb = server.rssMb();
  let running = true;
  const healthLoop = (async () => {
    while (running) {
      const started = performance.now();
      try {
        const response = await fetch(`${server.address}/healthz`);
        await response.arrayBuffer();
        if (response.status !== 200) healthFailures.push(`status ${response.status}`);
      } catch (error) {
        healthFailures.push(String((error as Error).cause ?? error));
      }
      health.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const rssTimer = setInterval(() => (peakRssMb = Math.max(peakRssMb, server.rssMb())), 100);
  try {
    const result = await work();
    return { result, health: summarise(health), healthFailures, peakRssMb };
  } finally {
    running = false;
    clearInterval(rssTimer);
    await healthLoop;
  }
}

/** Status counts of a burst of answers, and whether every 503 carried Retry-After. */
export interface Answers {
  byStatus: Record<string, number>;
  bad: string[];
}

/** Sends every request at once; tallies statuses; anything but 200, 4xx or 503-with-Retry-After is "bad". */
export async function burst(requests: Array<() => Promise<Response>>): Promise<Answers> {
  const answers: Answers = { byStatus: {}, bad: [] };
  await Promise.all(
    requests.map(async (send) => {
      let status: string;
      try {
        const response = await send();
        const body = await response.text();
        status = String(response.status);
        const ok =
          response.status === 200 ||
          (response.status >= 400 && response.status < 500) ||
          (response.status === 503 && response.headers.has('retry-after'));
        if (!ok) answers.bad.push(`${status} ${body.slice(0, 120)}`);
      } catch (error) {
        status = 'network error';
        answers.bad.push(String(error));
      }
      answers.byStatus[status] = (answers.byStatus[status] ?? 0) + 1;
    }),
  );
  return answers;
}
