/**
 * `node --import tsx bench/upscale/local-edit.ts`: how long local-edit takes for "upscale it 2x" with the
 * default server settings (the `upscaler` model's networks: esrgan-thick, creativity 0), end to end through
 * the engine (parsing, the super-resolution worker, the PNG encoding of the finishing step), on centred
 * crops of chelsea of 256 x 256 and 512 x 512. The first run includes loading and converting the network
 * (reported apart). Prints the load average before and after each run: the machine is shared.
 *
 * Environment: BENCH_SIDES (default "256,512").
 */
import { loadavg } from 'node:os';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { FastifyBaseLogger } from 'fastify';
import sharp from 'sharp';
import { loadConfig } from '../../src/config/load.js';
import { localEditEngineFactory } from '../../src/engines/local-edit/index.js';
import type { RawImage } from '../../src/imaging/raw-image.js';
import { finishOutput } from '../../src/jobs/finish-output.js';
import { ResourceRegistry } from '../../src/resources/resource-registry.js';

const sides = (process.env.BENCH_SIDES ?? '256,512').split(',').map(Number);
const config = loadConfig({ env: {}, overrides: { logLevel: 'silent' } });
const logger = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
const resources = new ResourceRegistry({ config, logger });
const context = { config, logger, metrics: new Registry(), resources };
const engine = localEditEngineFactory.create(localEditEngineFactory.optionsSchema.parse({}), context, 'local-edit');

async function crop(side: number): Promise<RawImage> {
  const { data, info } = await sharp('test/fixtures/chelsea.png')
    .removeAlpha()
    .resize(side, side, { fit: 'cover' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3 };
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

console.log(`network: esrgan-thick (the server default); load average at start: ${load()}`);
const warm = performance.now();
await engine.run({
  operation: 'edit',
  images: [await crop(32)],
  prompt: 'upscale it 2x',
  options: {},
  signal: new AbortController().signal,
});
console.log(`first run (32 x 32, includes loading the network): ${((performance.now() - warm) / 1000).toFixed(1)} s`);
for (const side of sides) {
  const image = await crop(side);
  const before = load();
  const start = performance.now();
  const result = await engine.run({
    operation: 'edit',
    images: [image],
    prompt: 'upscale it 2x',
    options: {},
    signal: new AbortController().signal,
  });
  const out = await finishOutput(result, {});
  const seconds = (performance.now() - start) / 1000;
  console.log(
    `${side} x ${side} -> ${out.width} x ${out.height}: ${seconds.toFixed(1)} s (load average before: ${before}; after: ${load()})`,
  );
}
await resources.close();
