import { cpus, loadavg } from 'node:os';
import sharp from 'sharp';
import type { FastifyBaseLogger } from 'fastify';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { loadConfig } from '../../src/config/load.js';
import type { EngineNotes } from '../../src/engines/engine.js';
import { localEditEngineFactory } from '../../src/engines/local-edit/index.js';
import { DetectorThingFinder } from '../../src/engines/local-edit/tools/detector-thing-finder.js';
import type { RawImage } from '../../src/imaging/raw-image.js';
import { finishOutput } from '../../src/jobs/finish-output.js';
import { DETECTORS } from '../../src/resources/detectors/index.js';
import { detectInTiles } from '../../src/resources/detectors/tiles/detect-in-tiles.js';
import { ResourceRegistry } from '../../src/resources/resource-registry.js';
import { defaultSegmenterResource } from '../../src/resources/segmenter/index.js';
import { smallThingsScene } from '../../test/engines/local-edit/small-things-scene.js';

/**
 * What the tiled pass (src/resources/detectors/tiles/) costs at 1 MP: the whole-picture detection alone,
 * the tiled pass alone (4 tiles), the finding of "the birds" (both, plus the masks), the whole request
 * through the engine and the PNG finishing step, and the same removal with the found mask sent as a layer
 * (everything but the finding), on sky-towers.jpg enlarged to 1155 x 866 (real birds) and
 * on the test scene of pasted motorcycles (1280 x 960, test/engines/local-edit/small-things-scene.ts).
 * Medians of `repeats` runs after one warm-up.
 *
 * Run: node --import tsx bench/detection/tiled-pass.ts [repeats]
 *
 * 2026-12-06, AMD EPYC, 2 cores shared with other sessions, medians of 5, under `nice -n 10`:
 *
 * | picture | load | whole-picture detection ms | tiled pass ms | finding ms | request ms | with the mask sent ms |
 * | --- | --- | ---: | ---: | ---: | ---: | ---: |
 * | sky-towers 1155x866 | 2.4-2.9 | 389 | 1230 | 1866 | 2698 | 903 |
 * | motorcycles 1280x960 | 2.4-2.9 | 310 | 1072 | 1314 | 7367 | 6140 |
 * | sky-towers 1155x866 | 1.6-3 | 270 | 1284 | 1426 | 2464 | 1188 |
 * | motorcycles 1280x960 | 3-6 | 350 | 1737 | 2017 | 10315 | 9986 |
 *
 * The tiled pass costs about 1.1 to 1.3 s at 1 MP (4 detector runs) on a lightly loaded machine; "get rid
 * of the birds" stays under 3 s. Removing the 8 motorcycles takes 6 to 10 s, nearly all of it the
 * inpainting of their 8 holes (the "with the mask sent" column), not the finding.
 */

const repeats = Number(process.argv[2] ?? 5);
const config = loadConfig({ env: {}, overrides: { logLevel: 'silent' } });
const logger = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
const resources = new ResourceRegistry({ config, logger });
const context = { config, logger, metrics: new Registry(), resources };
const engine = localEditEngineFactory.create(localEditEngineFactory.optionsSchema.parse({}), context, 'local-edit');
const detectors = resources.get(DETECTORS);
const segmenter = resources.get(defaultSegmenterResource(config));
const finder = new DetectorThingFinder(
  () => detectors,
  () => segmenter,
);

const { data, info } = await sharp('test/fixtures/sky-towers.jpg')
  .resize(1155, 866)
  .removeAlpha()
  .raw()
  .toBuffer({ resolveWithObject: true });
const birds: RawImage = { data, width: info.width, height: info.height, channels: 3 };
const scene = (await smallThingsScene(detectors, segmenter)).image;

const cases = [
  { name: 'sky-towers 1155x866', image: birds, label: 'bird', phrase: 'the birds', prompt: 'get rid of the birds' },
  {
    name: 'motorcycles 1280x960',
    image: scene,
    label: 'motorcycle',
    phrase: 'all the motorcycles',
    prompt: 'remove all the motorcycles',
  },
];

const time = async (run: () => Promise<unknown>) => {
  const start = performance.now();
  await run();
  return performance.now() - start;
};
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

console.log(
  `${cpus().length} cores (${cpus()[0].model}), load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log('| picture | whole-picture detection ms | tiled pass ms | finding ms | request ms | with the mask sent ms | found |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | --- |');
for (const c of cases) {
  const signal = AbortSignal.timeout(600_000);
  const whole = async () => (await detectors.objects.detect(c.image, signal)).filter((d) => d.label === c.label);
  const seen = await whole();
  const notes: EngineNotes = {};
  const request = async () =>
    finishOutput(await engine.run({ operation: 'edit', images: [c.image], prompt: c.prompt, options: {}, notes, signal }), {});
  // The same removal with the found mask sent as a layer: everything but the finding (mostly the inpainting).
  const found = await finder.find(c.image, c.phrase, { signal, purpose: 'remove' });
  const layer = Buffer.alloc(c.image.width * c.image.height * 3);
  for (let i = 0; i < found.mask.data.length; i++) layer.fill(found.mask.data[i], i * 3, i * 3 + 3);
  const mask: RawImage = { data: layer, width: c.image.width, height: c.image.height, channels: 3 };
  const masked = async () =>
    finishOutput(
      await engine.run({
        operation: 'multi-edit',
        images: [c.image, mask],
        prompt: 'remove the masked area',
        options: {},
        signal,
      }),
      {},
    );
  await request();
  const runs = {
    whole: [] as number[],
    tiles: [] as number[],
    finding: [] as number[],
    request: [] as number[],
    masked: [] as number[],
  };
  for (let i = 0; i < repeats; i++) {
    runs.whole.push(await time(whole));
    runs.tiles.push(await time(() => detectInTiles(detectors.objects, c.image, [c.label], seen, signal)));
    runs.finding.push(await time(() => finder.find(c.image, c.phrase, { signal, purpose: 'remove' })));
    runs.request.push(await time(request));
    runs.masked.push(await time(masked));
  }
  const cells = [runs.whole, runs.tiles, runs.finding, runs.request, runs.masked].map((r) => median(r).toFixed(0));
  console.log(`| ${c.name} | ${cells.join(' | ')} | ${notes.found?.join('; ')} |`);
}
console.log(
  `load average after: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
await engine.close();
await resources.close();
