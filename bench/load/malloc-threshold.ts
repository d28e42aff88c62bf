/**
 * `npm run build && node --import tsx bench/load/malloc-threshold.ts`: what a fixed glibc mmap threshold
 * (`MALLOC_MMAP_THRESHOLD_=131072`) costs and gives back. glibc raises its threshold as large blocks are
 * freed (up to 32 MB), after which large buffers come from the main heap and stay there, freed but resident,
 * once the load ends (bench/upscale/NOTES.md#memory). A fixed threshold maps every block above it on its
 * own and unmaps it when freed, at the price of a map, page faults and an unmap per large block.
 * Two child servers per round (A: as `npm start` runs it, B: with the fixed threshold), each doing the same
 * BENCH_EDITS (default 6) edits of a 12 MP JPEG one at a time; reports the server's CPU seconds (utime +
 * stime from /proc, less sensitive to the machine's load than wall time, though not immune), the peak RSS
 * and the RSS left 5 s after. BENCH_ROUNDS (default 2) rounds, alternating A and B.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import sharp from 'sharp';
import { describeMemory, readMemory } from './memory-probe.js';
import { startServer } from './server-process.js';

const EDITS = Number(process.env.BENCH_EDITS ?? 6);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const PROMPTS = ['make it black and white', 'blur by 20px', 'make it sepia'];
const photo = (
  await sharp('test/fixtures/motorcycle_left.png').resize(4240, 2832, { fit: 'fill' }).jpeg({ quality: 90 }).toBuffer()
).toString('base64');

async function measure(label: string, env: Record<string, string>): Promise<void> {
  const server = await startServer(env);
  const cpuSeconds = () => {
    const fields = readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  };
  const edit = async (prompt: string) => {
    const response = await fetch(`${server.address}/api/v1/image/edit`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ image: photo, prompt }),
    });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`edit answered ${response.status}`);
  };
  try {
    await edit(PROMPTS[0]);
    const cpu0 = cpuSeconds();
    const wall0 = performance.now();
    for (let i = 0; i < EDITS; i++) await edit(PROMPTS[i % PROMPTS.length]);
    const cpu = cpuSeconds() - cpu0;
    const wall = (performance.now() - wall0) / 1000;
    const peak = readMemory(server.pid).peakMb;
    await new Promise((r) => setTimeout(r, 5000));
    console.log(
      `| ${label} | ${cpu.toFixed(1)} | ${wall.toFixed(1)} | ${peak.toFixed(0)} | ${describeMemory(readMemory(server.pid))} | ${loadavg()[0].toFixed(1)} |`,
    );
  } finally {
    await server.stop();
  }
}

console.log(`# mmap threshold, ${new Date().toISOString()}: ${EDITS} edits of a 12 MP JPEG per server`);
console.log('| server | CPU s | wall s | peak RSS MB | RSS 5 s after | load |');
console.log('|---|---:|---:|---:|---|---:|');
for (let round = 0; round < ROUNDS; round++) {
  await measure('A: MALLOC_ARENA_MAX=2', {});
  await measure('B: + MALLOC_MMAP_THRESHOLD_=131072', { MALLOC_MMAP_THRESHOLD_: '131072' });
}
