import sharp from 'sharp';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { FastifyBaseLogger } from 'fastify';
import { loadConfig } from '../../src/config/load.js';
import { localEditEngineFactory } from '../../src/engines/local-edit/index.js';
import { finishOutput } from '../../src/jobs/finish-output.js';
import { ResourceRegistry } from '../../src/resources/resource-registry.js';
const config = loadConfig({ env: {}, overrides: { logLevel: 'silent' } });
const logger = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
const resources = new ResourceRegistry({ config, logger });
const engine = localEditEngineFactory.create(
  localEditEngineFactory.optionsSchema.parse({}),
  { config, logger, metrics: new Registry(), resources },
  'local-edit',
);
const [file, prompt, out] = process.argv.slice(2);
const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
const t = performance.now();
const r = await finishOutput(
  await engine.run({
    operation: 'edit',
    images: [{ data, width: info.width, height: info.height, channels: 3 }],
    prompt,
    options: {},
    signal: AbortSignal.timeout(300000),
  }),
  {},
);
console.log(Math.round(performance.now() - t), 'ms');
await sharp(r.body).toFile(out);
await resources.close();
