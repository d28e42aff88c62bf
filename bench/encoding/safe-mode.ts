import path from 'node:path';
import sharp from 'sharp';
import type { RawImage } from '../../src/imaging/raw-image.js';
import { NSFW_CLASSIFIER } from '../../src/resources/nsfw-classifier.js';
import { machineDescription, median } from '../edit/stats.js';

/**
 * What safe mode adds to a generative answer: loading the classifier once, then one classification per
 * answer, on a 1 MP photo. Usage: node --import tsx bench/encoding/safe-mode.ts [repeats]
 */
async function main(): Promise<void> {
  const repeats = Number(process.argv[2] ?? 9);
  const classifier = NSFW_CLASSIFIER.create({} as never);
  let started = performance.now();
  await classifier.warmUp?.();
  const load = performance.now() - started;
  const { data, info } = await sharp(path.resolve('test/fixtures/motorcycle_left.png'))
    .resize(1152, 864, { fit: 'fill' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const image: RawImage = { data, width: info.width, height: info.height, channels: 3 };
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    started = performance.now();
    await classifier.isExplicit(image);
    times.push(performance.now() - started);
  }
  const rss = process.memoryUsage().rss / 2 ** 20;
  console.log(`machine: ${machineDescription()}`);
  console.log(
    `load ${load.toFixed(0)} ms; classify 1 MP median ${median(times).toFixed(0)} ms over ${repeats}; RSS ${rss.toFixed(0)} MiB`,
  );
  await classifier.close();
}

await main();
