import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import sharp from 'sharp';
import { LocalEditEngine } from '../../src/engines/local-edit/engine.js';
import type { EngineContext } from '../../src/engines/context.js';
import { PNG_OPTIONS, type RawImage } from '../../src/imaging/raw-image.js';
import { decodeImage } from '../../src/inputs/decode-image.js';
import { makeBenchJpeg } from './bench-photo.js';
import { benchRasters, pngTable } from './png-settings.js';
import { machineDescription, median } from './stats.js';

/**
 * `npm run bench:edit`: "make it black and white" on a 12-megapixel JPEG through the real HTTP server
 * (multipart upload, local-edit model), against the named reference: a bare sharp script doing the same
 * decode, greyscale and PNG encode with the project's PNG settings, in this process. Runs alternate
 * between the two, so that the machine's noise hits both alike; medians and their ratio are printed
 * (target: at most 1.2). Two more rows split the server's time: the gateway's decode of the upload
 * alone, and the local-edit engine alone on the decoded pixels (both in this process). Then the PNG
 * encoder table. Set BENCH_REPEATS (default 7) and BENCH_PNG=0 to skip the table.
 */

const REPEATS = Number(process.env.BENCH_REPEATS ?? 7);
const PNG_REPEATS = Number(process.env.BENCH_PNG_REPEATS ?? 3);
const PROMPT = 'make it black and white';

async function startServer(): Promise<{ child: ChildProcess; url: string; key: string; concurrency: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/edit/bench-server.ts'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', resolve);
  });
  const { port, key, sharpConcurrency } = JSON.parse(line) as { port: number; key: string; sharpConcurrency: number };
  return { child, url: `http://127.0.0.1:${port}/api/v1/image/edit`, key, concurrency: sharpConcurrency };
}

/** The reference: what a developer would write with sharp alone. */
function reference(jpeg: Buffer): Promise<Buffer> {
  return sharp(jpeg).greyscale().toColourspace('b-w').png(PNG_OPTIONS).toBuffer();
}

async function throughServer(server: { url: string; key: string }, jpeg: Buffer): Promise<Buffer> {
  const form = new FormData();
  form.set('model', 'local-edit');
  form.set('prompt', PROMPT);
  form.set('image', new Blob([jpeg], { type: 'image/jpeg' }), 'photo.jpg');
  const response = await fetch(server.url, { method: 'POST', headers: { authorization: `Bearer ${server.key}` }, body: form });
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200) throw new Error(`server answered ${response.status}: ${body.toString('utf8', 0, 300)}`);
  return body;
}

async function timed(run: () => Promise<unknown>): Promise<{ ms: number }> {
  const started = performance.now();
  await run();
  return { ms: performance.now() - started };
}

/** The engine on its own, fed the pixels the gateway would hand it. */
function engineOnly(engine: LocalEditEngine, image: RawImage): Promise<unknown> {
  return engine.run({ operation: 'edit', images: [image], prompt: PROMPT, options: {}, signal: AbortSignal.timeout(60_000) });
}

async function samePixels(a: Buffer, b: Buffer): Promise<boolean> {
  const [x, y] = await Promise.all([sharp(a).raw().toBuffer(), sharp(b).raw().toBuffer()]);
  return x.equals(y);
}

const fmt = (ms: number) => `${ms.toFixed(0)} ms`;

async function main(): Promise<void> {
  console.log(`# bench:edit — ${machineDescription()}`);
  const { jpeg, width, height } = await makeBenchJpeg();
  console.log(
    `input: ${width}x${height} JPEG (${((width * height) / 1e6).toFixed(1)} MP, ${(jpeg.length / 1e6).toFixed(1)} MB), prompt "${PROMPT}"`,
  );
  const server = await startServer();
  try {
    // Warm-up: the first request loads the engine's modules and fills sharp's caches.
    const warm = await throughServer(server, jpeg);
    const ref = await reference(jpeg);
    const identical = await samePixels(warm, ref);
    const meta = await sharp(warm).metadata();
    console.log(
      `server output ${meta.width}x${meta.height}, ${meta.channels} channel(s), ${(warm.length / 1e6).toFixed(1)} MB; same pixels as the reference: ${identical}`,
    );
    console.log(`sharp.concurrency(): reference ${sharp.concurrency()}, server ${server.concurrency}`);

    const engine = new LocalEditEngine({ maxSteps: 12 }, {} as EngineContext);
    const decoded = await decodeImage(jpeg, 'image');
    const serverRuns: number[] = [];
    const referenceRuns: number[] = [];
    const decodeRuns: number[] = [];
    const engineRuns: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const order = i % 2 === 0 ? (['ref', 'server'] as const) : (['server', 'ref'] as const);
      for (const which of order) {
        if (which === 'ref') referenceRuns.push((await timed(() => reference(jpeg))).ms);
        else serverRuns.push((await timed(() => throughServer(server, jpeg))).ms);
      }
      decodeRuns.push((await timed(() => decodeImage(jpeg, 'image'))).ms);
      engineRuns.push((await timed(() => engineOnly(engine, decoded))).ms);
    }
    const ratio = median(serverRuns) / median(referenceRuns);
    console.log(`\n| run | median | min | max | runs |`);
    console.log(`| --- | ---: | ---: | ---: | ---: |`);
    for (const [name, runs] of [
      ['reference: bare sharp decode + greyscale + PNG', referenceRuns],
      ['retouch HTTP /image/edit (local-edit)', serverRuns],
      ['  of which: gateway decode of the JPEG (src/inputs)', decodeRuns],
      ['  of which: local-edit engine on decoded pixels', engineRuns],
    ] as const) {
      console.log(`| ${name} | ${fmt(median(runs))} | ${fmt(Math.min(...runs))} | ${fmt(Math.max(...runs))} | ${runs.length} |`);
    }
    console.log(`\nratio server / reference (medians): ${ratio.toFixed(2)} (target <= 1.2: ${ratio <= 1.2 ? 'met' : 'missed'})`);
    console.log(`ratio engine alone / reference: ${(median(engineRuns) / median(referenceRuns)).toFixed(2)}`);
  } finally {
    server.child.kill('SIGTERM');
  }

  if (process.env.BENCH_PNG !== '0') {
    console.log(`\nPNG encoder settings on the same picture (palette off; median of ${PNG_REPEATS}):\n`);
    const { colour, grey } = await benchRasters(jpeg);
    const rows = await pngTable(colour, grey, PNG_REPEATS, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const base = rows.find((r) => r.level === 6 && r.adaptive)!;
    console.log(
      '| level | adaptive filtering | colour time | colour size | grey time | grey size | colour time vs level 6 | colour size vs level 6 |',
    );
    console.log('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const r of rows) {
      console.log(
        `| ${r.level} | ${r.adaptive ? 'on' : 'off'} | ${fmt(r.colourMs)} | ${(r.colourBytes / 1e6).toFixed(2)} MB | ${fmt(r.greyMs)} | ` +
          `${(r.greyBytes / 1e6).toFixed(2)} MB | ${(r.colourMs / base.colourMs).toFixed(2)} | ${(r.colourBytes / base.colourBytes).toFixed(3)} |`,
      );
    }
  }
}

await main();
