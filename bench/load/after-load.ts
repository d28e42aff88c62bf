/**
 * `npm run build && node --import tsx bench/load/after-load.ts`: what the server keeps resident once a flood
 * of large inputs has ended (issue 23: 2.6 to 2.9 GB after floods of 33-megapixel inputs, 168 MB before).
 * A child `retouch serve` as `npm start` runs it (MALLOC_ARENA_MAX=2); RSS idle after start, then
 * BENCH_REMOVALS (default 10) background removals and BENCH_EDITS (default 6) local edits of a 33 MP JPEG,
 * all sent at once; then RSS when the last has answered and after BENCH_IDLE_S (default 30) seconds idle,
 * each with where it lives (memory-probe.ts), and the main thread's own figures from /metrics (V8 heap,
 * memory outside it held by JavaScript objects: Buffers). Memory hardly depends on the machine's load.
 * Environment: BENCH_ENV (extra server variables, `NAME=value,NAME=value`), BENCH_REMOVALS, BENCH_EDITS,
 * BENCH_IDLE_S.
 */
import { loadavg } from 'node:os';
import { bigJpeg } from './big-jpeg.js';
import { describeMemory, readMemory } from './memory-probe.js';
import { startServer } from './server-process.js';

const REMOVALS = Number(process.env.BENCH_REMOVALS ?? 10);
const EDITS = Number(process.env.BENCH_EDITS ?? 6);
const IDLE_S = Number(process.env.BENCH_IDLE_S ?? 30);
const extraEnv = Object.fromEntries(
  (process.env.BENCH_ENV ?? '')
    .split(',')
    .filter(Boolean)
    .map((pair) => pair.split('=') as [string, string]),
);
const server = await startServer(extraEnv);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const post = async (path: string, body: unknown) => {
  const response = await fetch(`${server.address}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  return response.status;
};
const mainThread = async () => {
  const text = await (await fetch(`${server.address}/metrics`)).text();
  const mb = (name: string) => Number(new RegExp(`^retouch_${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20;
  return `V8 heap used ${mb('nodejs_heap_size_used_bytes').toFixed(0)} MB, external ${mb('nodejs_external_memory_bytes').toFixed(0)} MB`;
};
const report = async (label: string) => console.log(`${label}: ${describeMemory(readMemory(server.pid))}; ${await mainThread()}`);

try {
  console.log(
    `# memory after a flood, ${new Date().toISOString()}, load ${loadavg()[0].toFixed(1)}, env ${JSON.stringify(extraEnv)}`,
  );
  const jpeg = (await bigJpeg()).toString('base64');
  await sleep(3000);
  await report('idle after start');
  const started = performance.now();
  const statuses = await Promise.all([
    ...Array.from({ length: REMOVALS }, () => post('/api/v1/image/background-remove', { image: jpeg })),
    ...Array.from({ length: EDITS }, (_, i) =>
      post('/api/v1/image/edit', { image: jpeg, prompt: ['blur by 1000px', 'make it sepia', 'denoise much'][i % 3] }),
    ),
  ]);
  const counts: Record<number, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  const peak = readMemory(server.pid).peakMb;
  console.log(
    `flood: ${REMOVALS} removals + ${EDITS} edits of 33 MP in ${((performance.now() - started) / 1000).toFixed(0)} s, ` +
      `answers ${JSON.stringify(counts)}, peak RSS ${peak.toFixed(0)} MB`,
  );
  await report('when the flood ended');
  await sleep(IDLE_S * 1000);
  await report(`after ${IDLE_S} s idle`);
  console.log(`load ${loadavg()[0].toFixed(1)}`);
} finally {
  await server.stop();
}
