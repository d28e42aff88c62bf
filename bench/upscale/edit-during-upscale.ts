/**
 * `npm run build && node --import tsx bench/upscale/edit-during-upscale.ts`: one large upscale through a
 * real server (a child `retouch serve` on loopback), and meanwhile small edits, one at a time. Prints how
 * many cores the server kept busy during the upscale (CPU time from /proc over wall time) and each small
 * edit's latency; the targets are both cores busy (about 2.0) and every edit within a second. Run it on a
 * quiet machine: on a loaded one both figures measure the neighbours.
 * Environment: BENCH_SIDE (upscale input side, default 1000), BENCH_EDITS (default 5).
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import sharp from 'sharp';
import { startServer } from '../load/server-process.js';

const SIDE = Number(process.env.BENCH_SIDE ?? 1000);
const EDITS = Number(process.env.BENCH_EDITS ?? 5);
const server = await startServer();
const ticks = () => {
  const fields = readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in seconds (100 ticks/s)
};
const post = (path: string, body: unknown) =>
  fetch(`${server.address}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const big = (await sharp('test/fixtures/motorcycle_left.png').resize(SIDE, SIDE).jpeg().toBuffer()).toString('base64');
const small = (await sharp('test/fixtures/chelsea.png').resize(400, 266).jpeg().toBuffer()).toString('base64');
try {
  // Warm both paths first, so that loading the networks and the imaging pool is not timed.
  await (await post('/api/v1/image/upscale', { image: small, scale: 2 })).arrayBuffer();
  await (await post('/api/v1/image/edit', { image: small, prompt: 'make it black and white' })).arrayBuffer();
  console.log(`# edits during a ${SIDE}x${SIDE} upscale at 2x (default creativity), load ${loadavg()[0].toFixed(1)}`);
  const cpu0 = ticks();
  const wall0 = performance.now();
  const upscale = post('/api/v1/image/upscale', { image: big, scale: 2 }).then(async (r) => {
    await r.arrayBuffer();
    return { status: r.status, seconds: (performance.now() - wall0) / 1000 };
  });
  await new Promise((r) => setTimeout(r, 3000));
  for (let i = 0; i < EDITS; i++) {
    const started = performance.now();
    const res = await post('/api/v1/image/edit', { image: small, prompt: 'make it black and white' });
    await res.arrayBuffer();
    console.log(`edit ${i + 1}: ${res.status} in ${(performance.now() - started).toFixed(0)} ms`);
  }
  const done = await upscale;
  const busy = (ticks() - cpu0) / ((performance.now() - wall0) / 1000);
  console.log(
    `upscale: ${done.status} in ${done.seconds.toFixed(1)} s; server busy ${busy.toFixed(2)} cores; load ${loadavg()[0].toFixed(1)}`,
  );
} finally {
  await server.stop();
}
