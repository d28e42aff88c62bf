/**
 * Load figures of issue 10, against a real `retouch serve` on loopback (bounded: at most 80 requests per
 * scenario, all on 127.0.0.1). `npm run build && npm run bench:load`.
 *
 *   idle:     RSS after start, lazy model load (now) vs RETOUCH_WARM_UP=1 (the old eager load: the reference)
 *   bg:       40 concurrent background removals of a ~200 KB 33-megapixel JPEG
 *   edits:    10 concurrent local edits of the same 33-megapixel JPEG (blur by 1000px, denoise much, sepia)
 *   inpaint:  30 concurrent 1-megapixel inpaintings (multi-edit with a mask)
 * For each: answers by status (target: only 200, 4xx, or 503 with Retry-After), /healthz p50/p95/max
 * (target p95 < 250 ms) and the server's peak RSS (target < 4 GB).
 */

import { cpus, totalmem } from 'node:os';
import sharp from 'sharp';
import { bigJpeg } from './big-jpeg.js';
import { burst, whileProbing } from './probes.js';
import { startServer, type ServerProcess } from './server-process.js';

const fmt = (ms: number) => `${Math.round(ms)}`;

async function inpaintInputs(): Promise<[string, string]> {
  const photo = await sharp('test/fixtures/coffee.png').resize(1224, 816).png().toBuffer();
  const mask = await sharp({ create: { width: 1224, height: 816, channels: 3, background: 'black' } })
    .composite([{ input: { create: { width: 220, height: 230, channels: 3, background: 'white' } }, left: 640, top: 450 }])
    .png()
    .toBuffer();
  return [photo.toString('base64'), mask.toString('base64')];
}

function post(server: ServerProcess, path: string, body: unknown): () => Promise<Response> {
  const text = JSON.stringify(body);
  return () =>
    fetch(`${server.address}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.key}`, 'content-type': 'application/json' },
      body: text,
    });
}

async function idleRss(env: Record<string, string>): Promise<number> {
  const server = await startServer(env);
  try {
    // Settle: with warm-up the model loads in the background after `listening`; take the peak over 12 s.
    let peak = 0;
    for (let i = 0; i < 24; i++) {
      peak = Math.max(peak, server.rssMb());
      await new Promise((r) => setTimeout(r, 500));
    }
    return peak;
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  console.log(
    `machine: ${cpus().length} cores (${cpus()[0]?.model}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  );
  const lazy = await idleRss({});
  const eager = await idleRss({ RETOUCH_WARM_UP: '1' });
  console.log(
    `idle RSS: ${lazy.toFixed(0)} MB lazy vs ${eager.toFixed(0)} MB with warm-up (reference); ratio ${(lazy / eager).toFixed(2)}`,
  );

  const jpeg = (await bigJpeg()).toString('base64');
  const [photo, mask] = await inpaintInputs();
  console.log(`33-MP JPEG: ${Math.round((jpeg.length * 3) / 4 / 1024)} KB`);
  const server = await startServer();
  try {
    const scenarios: Array<[string, Array<() => Promise<Response>>]> = [
      [
        '40 bg removals, 33 MP',
        Array.from({ length: 40 }, () => post(server, '/api/v1/image/background-remove', { image: jpeg })),
      ],
      [
        '10 edits, 33 MP',
        Array.from({ length: 10 }, (_, i) =>
          post(server, '/api/v1/image/edit', {
            model: 'local-edit',
            image: jpeg,
            prompt: ['blur by 1000px', 'denoise much', 'make it sepia'][i % 3],
          }),
        ),
      ],
      [
        '30 inpaintings, 1 MP',
        Array.from({ length: 30 }, () =>
          post(server, '/api/v1/image/multi-edit', { modelId: 'local-edit', prompt: 'remove the tree', images: [photo, mask] }),
        ),
      ],
    ];
    console.log('| scenario | answers | 503 share | /healthz p50 / p95 / max (ms) | peak RSS (MB) | wall (s) | bad answers |');
    console.log('| --- | --- | --- | --- | --- | --- | --- |');
    for (const [name, requests] of scenarios) {
      const started = performance.now();
      const { result, health, healthFailures, peakRssMb } = await whileProbing(server, () => burst(requests));
      const total = Object.values(result.byStatus).reduce((a, b) => a + b, 0);
      const share = ((result.byStatus['503'] ?? 0) / total) * 100;
      const answers = Object.entries(result.byStatus)
        .map(([s, n]) => `${s}x${n}`)
        .join(' ');
      console.log(
        `| ${name} | ${answers} | ${share.toFixed(0)}% | ${fmt(health.p50)} / ${fmt(health.p95)} / ${fmt(health.max)} | ${peakRssMb.toFixed(0)} | ${((performance.now() - started) / 1000).toFixed(1)} | ${[...result.bad, ...healthFailures.map((f) => `healthz: ${f}`)].slice(0, 3).join('; ') || 'none'} |`,
      );
    }
  } finally {
    await server.stop();
  }
}

await main();
