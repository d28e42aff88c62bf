import { cpus, totalmem } from 'node:os';
import sharp from 'sharp';
import type { FastifyBaseLogger } from 'fastify';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { loadConfig } from '../../src/config/load.js';
import { DetectorThingFinder } from '../../src/engines/local-edit/tools/detector-thing-finder.js';
import { localEditEngineFactory } from '../../src/engines/local-edit/index.js';
import type { RawImage } from '../../src/imaging/raw-image.js';
import { finishOutput } from '../../src/jobs/finish-output.js';
import { DETECTORS } from '../../src/resources/detectors/index.js';
import { ResourceRegistry } from '../../src/resources/resource-registry.js';
import { defaultSegmenterResource } from '../../src/resources/segmenter/index.js';

/**
 * Detection-driven edits end to end at 1 MP, through the local-edit engine on decoded pixels: the prompt
 * alone (the engine finds the thing), against the named reference in the same run: the same edit with the
 * found mask sent as a mask layer ("remove the masked area"), i.e. everything but the finding. Medians of
 * `repeats` runs after one warm-up; runs alternate. "remove the spoon" is a refusal here (the object
 * detector does not see the spoon; see bench/detection/NOTES.md#quality-on-hand-labelled-photos), timed as such.
 *
 * Run: node --import tsx bench/detection/end-to-end.ts [repeats]
 */

const repeats = Number(process.argv[2] ?? 5);
const cases = [
  { file: 'test/fixtures/coffee.png', prompt: 'remove the spoon', phrase: 'the spoon', masked: null },
  {
    file: 'test/fixtures/chelsea-watermark.png',
    prompt: 'remove the text',
    phrase: 'the text',
    masked: 'remove the masked area',
  },
  { file: 'test/fixtures/astronaut.png', prompt: 'blur the faces', phrase: 'the faces', masked: 'blur the masked area' },
  {
    file: 'test/fixtures/street.jpg',
    prompt: 'remove the person on the left',
    phrase: 'the person on the left',
    masked: 'remove the masked area',
  },
  {
    file: 'test/fixtures/street.jpg',
    prompt: 'make the car black and white',
    phrase: 'the car',
    masked: 'make the masked area black and white',
  },
  { file: 'test/fixtures/chelsea.png', prompt: 'brighten the cat', phrase: 'the cat', masked: 'brighten the masked area' },
];

const config = loadConfig({ env: {}, overrides: { logLevel: 'silent' } });
const logger = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
const resources = new ResourceRegistry({ config, logger });
const engine = localEditEngineFactory.create(
  localEditEngineFactory.optionsSchema.parse({}),
  { config, logger, metrics: new Registry(), resources },
  'local-edit',
);
const finder = new DetectorThingFinder(
  () => resources.get(DETECTORS),
  () => resources.get(defaultSegmenterResource(config)),
);

async function oneMegapixel(file: string): Promise<RawImage> {
  const meta = await sharp(file).metadata();
  const scale = Math.sqrt(1_000_000 / (meta.width! * meta.height!));
  const { data, info } = await sharp(file)
    .removeAlpha()
    .resize(Math.round(meta.width! * scale), Math.round(meta.height! * scale))
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3 };
}

/**
 * A refusal (a 400: nothing found, or a removal refused after finding, such as the person cut by the frame)
 * is timed too: the finding it did first is what this benchmark measures.
 */
async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run().catch((error: Error & { status?: number }) => {
    if (error.status !== 400) throw error;
  });
  return performance.now() - started;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
/** The engine's run and the finishing step (PNG encoding), as a request pays for them. */
const edit = async (image: RawImage, prompt: string, mask?: RawImage) =>
  finishOutput(
    await engine.run({
      operation: mask ? 'multi-edit' : 'edit',
      images: mask ? [image, mask] : [image],
      prompt,
      options: {},
      signal: AbortSignal.timeout(300_000),
    }),
    {},
  );

console.log(
  `machine: ${cpus()[0].model}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ${repeats} repeats`,
);
console.log('| prompt (1 MP) | size | prompt alone ms | with the mask sent ms | ratio | finding ms |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const c of cases) {
  const image = await oneMegapixel(c.file);
  let mask: RawImage | undefined;
  if (c.masked) {
    const found = await finder.find(image, c.phrase, {
      signal: AbortSignal.timeout(120_000),
      purpose: c.prompt.startsWith('remove') ? 'remove' : 'edit',
    });
    const data = Buffer.alloc(image.width * image.height * 3);
    for (let i = 0; i < found.mask.data.length; i++) data.fill(found.mask.data[i], i * 3, i * 3 + 3);
    mask = { data, width: image.width, height: image.height, channels: 3 };
  }
  await timed(() => edit(image, c.prompt));
  const alone: number[] = [];
  const masked: number[] = [];
  for (let i = 0; i < repeats; i++) {
    alone.push(await timed(() => edit(image, c.prompt)));
    if (mask) masked.push(await timed(() => edit(image, c.masked!, mask)));
  }
  const a = median(alone);
  const m = mask ? median(masked) : NaN;
  console.log(
    `| ${c.prompt} | ${image.width}x${image.height} | ${a.toFixed(0)} | ${mask ? m.toFixed(0) : 'n/a (refused)'} | ${mask ? (a / m).toFixed(2) : '-'} | ${mask ? (a - m).toFixed(0) : a.toFixed(0)} |`,
  );
}
await engine.close();
await resources.close();
