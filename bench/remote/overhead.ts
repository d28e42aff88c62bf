import path from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import sharp from 'sharp';
import type { FastifyBaseLogger } from 'fastify';
import { comfyUiEngineFactory } from '../../src/engines/comfyui/index.js';
import type { Engine, EngineRequest } from '../../src/engines/engine.js';
import { PNG_OPTIONS, type RawImage } from '../../src/imaging/raw-image.js';
import { ResourceRegistry } from '../../src/resources/resource-registry.js';
import { loadConfig } from '../../src/config/load.js';
import { FakeComfyUi } from '../../test/engines/comfyui/comfyui-fake-server.js';

/**
 * What the generative-backend path costs on this machine besides the GPU's own time: a `comfyui` engine
 * run against the in-process ComfyUI protocol test double (its "model" is a negate, about as cheap as a
 * GPU server is fast to answer here) compared, in the same run, with the reference every engine pays
 * anyway: decoding the input and encoding a PNG of the same size with sharp. Run from the repository root:
 *   node --import tsx bench/remote/overhead.ts [repeats]
 */

const repeats = Number(process.argv[2] ?? 7);

async function photo(width: number, height: number): Promise<{ jpeg: Buffer; raw: RawImage }> {
  const jpeg = await sharp(path.resolve('test/fixtures/astronaut.png'))
    .resize(width, height, { fit: 'fill' })
    .jpeg({ quality: 90 })
    .toBuffer();
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  return { jpeg, raw: { data, width: info.width, height: info.height, channels: 3 } };
}

function maskFor(image: RawImage): RawImage {
  const data = Buffer.alloc(image.width * image.height * 3);
  const [left, top, w, h] = [image.width >> 2, image.height >> 2, image.width >> 1, image.height >> 1];
  for (let y = top; y < top + h; y++) data.fill(255, (y * image.width + left) * 3, (y * image.width + left + w) * 3);
  return { data, width: image.width, height: image.height, channels: 3 };
}

async function decode(jpeg: Buffer): Promise<RawImage> {
  const { data, info } = await sharp(jpeg).rotate().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels as 3 | 4 };
}

/** The floor: decode the upload and encode a PNG answer of the same size. */
async function reference(jpeg: Buffer): Promise<void> {
  const image = await decode(jpeg);
  await sharp(image.data, { raw: image }).png(PNG_OPTIONS).toBuffer();
}

async function throughEngine(engine: Engine, jpeg: Buffer, mask?: RawImage): Promise<void> {
  const image = await decode(jpeg);
  const request: EngineRequest = {
    operation: mask ? 'multi-edit' : 'edit',
    images: mask ? [image, mask] : [image],
    prompt: 'benchmark',
    options: { seed: 1, layerRoles: mask ? ['mask'] : undefined },
    signal: AbortSignal.timeout(120_000),
  };
  await engine.run(request);
}

async function median(run: () => Promise<void>): Promise<number> {
  await run();
  await run();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function engineFor(url: string, extra: Record<string, unknown> = {}): Engine {
  const options = comfyUiEngineFactory.optionsSchema.parse({ endpoints: [{ url }], healthCheckIntervalMs: 0, ...extra });
  const context = { logger, metrics: new Registry(), config, resources };
  return comfyUiEngineFactory.create(options, context, 'bench');
}

const config = loadConfig({ env: {} });
const logger = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
// One registry for every engine of the run, as a server has: they share its imaging pool.
const resources = new ResourceRegistry({ config, logger });
const fake = await FakeComfyUi.start({ stepDelayMs: 0 });
const withSocket = engineFor(fake.url);
const polling = await FakeComfyUi.start({ stepDelayMs: 0, websocket: false });
const withPolling = engineFor(polling.url);
console.log(`repeats: ${repeats} (medians in ms; reference = sharp decode + PNG encode at the same size)`);
console.log(`${'case'.padEnd(46)} reference   engine   ratio   added ms`);
for (const [label, width, height] of [
  ['1 MP (1024x1024)', 1024, 1024],
  ['12 MP (4000x3000)', 4000, 3000],
] as const) {
  const { jpeg, raw } = await photo(width, height);
  const ref = await median(() => reference(jpeg));
  const cases: Array<[string, () => Promise<void>]> = [
    [`${label} edit, websocket`, () => throughEngine(withSocket, jpeg)],
    [`${label} multi-edit + mask, websocket`, () => throughEngine(withSocket, jpeg, maskFor(raw))],
    [`${label} edit, /history polling`, () => throughEngine(withPolling, jpeg)],
  ];
  for (const [name, run] of cases) {
    const time = await median(run);
    console.log(
      `${name.padEnd(46)} ${ref.toFixed(0).padStart(9)} ${time.toFixed(0).padStart(8)} ${(time / ref).toFixed(2).padStart(7)} ${(time - ref).toFixed(0).padStart(10)}`,
    );
  }
}
await Promise.all([withSocket.close(), withPolling.close(), fake.close(), polling.close()]);
await resources.close();
