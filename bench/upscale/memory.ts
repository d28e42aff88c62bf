/**
 * `npm run build && node --import tsx bench/upscale/memory.ts`: the server's memory around one large upscale,
 * the memory target ("peak RSS of the server during a 2400x1600 scale-4 upscale at most 2 GB; idle
 * RSS unchanged"). A child `retouch serve` on loopback (as `npm start` runs it: MALLOC_ARENA_MAX=2):
 * 1. idle RSS after start;
 * 2. a small upscale first, so that loading the network (and calibrating its int8 version on a fresh data
 *    folder) is not counted, then the kernel's peak counter is reset (/proc/PID/clear_refs);
 * 3. a 2400 x 1600 photo at scale 4 (served at 2x: 4800 x 3200 is the most Venice's limit allows) at
 *    creativity 0: the peak RSS (VmHWM) during it, and RSS when it has answered;
 * 4. RSS after BENCH_IDLE_S (default 20) seconds without requests, with where it lives (memory-probe.ts).
 * Memory does not depend much on the machine's load; time does. Environment: BENCH_ENV (extra variables
 * for the server, `NAME=value,NAME=value`), BENCH_IDLE_S.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import sharp from 'sharp';
import { describeMemory, readMemory } from '../load/memory-probe.js';
import { startServer } from '../load/server-process.js';

const IDLE_S = Number(process.env.BENCH_IDLE_S ?? 20);
const extraEnv = Object.fromEntries(
  (process.env.BENCH_ENV ?? '')
    .split(',')
    .filter(Boolean)
    .map((pair) => pair.split('=') as [string, string]),
);
const server = await startServer(extraEnv);
const memory = () => readMemory(server.pid);
/** The main thread's own figures (/metrics): V8's heap, and memory held by JavaScript objects outside it (Buffers). */
const mainThread = async () => {
  const text = await (await fetch(`${server.address}/metrics`)).text();
  const mb = (name: string) => Number(new RegExp(`^retouch_${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20;
  return `main thread: V8 heap used ${mb('nodejs_heap_size_used_bytes').toFixed(0)} MB, external ${mb('nodejs_external_memory_bytes').toFixed(0)} MB`;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const upscale = async (image: string) => {
  const started = performance.now();
  const response = await fetch(`${server.address}/api/v1/image/upscale`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ image, scale: 4, creativity: 0 }),
  });
  const bytes = (await response.arrayBuffer()).byteLength;
  if (response.status !== 200) throw new Error(`upscale answered ${response.status}`);
  return { seconds: (performance.now() - started) / 1000, bytes };
};
const photo = async (width: number, height: number) =>
  (await sharp('test/fixtures/motorcycle_left.png').resize(width, height, { fit: 'fill' }).png().toBuffer()).toString('base64');

try {
  console.log(`# upscale memory, ${new Date().toISOString()}, load ${loadavg()[0].toFixed(1)}, env ${JSON.stringify(extraEnv)}`);
  await sleep(3000);
  console.log(`idle after start: ${describeMemory(memory())}`);
  const warm = await upscale(await photo(256, 256));
  console.log(`after a 256x256 warm-up (network loaded, ${warm.seconds.toFixed(1)} s): ${describeMemory(memory())}`);
  const large = await photo(2400, 1600);
  // Writing 5 resets the peak resident size (VmHWM) to the current one.
  writeFileSync(`/proc/${server.pid}/clear_refs`, '5');
  let sampledPeak = 0;
  const sampler = setInterval(() => {
    sampledPeak = Math.max(sampledPeak, memory().rssMb);
  }, 100);
  const big = await upscale(large);
  clearInterval(sampler);
  const answered = memory();
  console.log(
    `2400x1600 scale 4 (served 4800x3200), creativity 0: ${big.seconds.toFixed(1)} s, ${(big.bytes / 1e6).toFixed(1)} MB PNG; ` +
      `peak RSS ${answered.peakMb.toFixed(0)} MB (sampled every 100 ms: ${sampledPeak.toFixed(0)})`,
  );
  console.log(`when it answered: ${describeMemory(answered)}; ${await mainThread()}`);
  await sleep(IDLE_S * 1000);
  console.log(`after ${IDLE_S} s idle: ${describeMemory(memory())}; ${await mainThread()}; load ${loadavg()[0].toFixed(1)}`);
} finally {
  await server.stop();
}
