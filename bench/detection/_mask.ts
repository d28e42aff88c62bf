import sharp from 'sharp';
import { pino } from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { loadConfig } from '../../src/config/load.js';
import { DetectorThingFinder } from '../../src/engines/local-edit/detector-thing-finder.js';
import { DETECTORS } from '../../src/resources/detectors/index.js';
import { ResourceRegistry } from '../../src/resources/resource-registry.js';
import { defaultSegmenterResource } from '../../src/resources/segmenter/index.js';
const config = loadConfig({ env: {}, overrides: { logLevel: 'silent' } });
const logger = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
const resources = new ResourceRegistry({ config, logger });
const finder = new DetectorThingFinder(
  () => resources.get(DETECTORS),
  () => resources.get(defaultSegmenterResource(config)),
);
const [file, phrase, out] = process.argv.slice(2);
const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
const found = await finder.find({ data, width: info.width, height: info.height, channels: 3 }, phrase, {
  signal: AbortSignal.timeout(120000),
});
console.log(found.boxes);
await sharp(Buffer.from(found.mask.data), { raw: { width: info.width, height: info.height, channels: 1 } })
  .png()
  .toFile(out);
await resources.close();
