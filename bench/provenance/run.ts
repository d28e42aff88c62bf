import path from 'node:path';
import sharp from 'sharp';
import { finishOutput } from '../../src/jobs/finish-output.js';
import type { OutputFormat } from '../../src/jobs/output-encoding.js';
import { loadConfig } from '../../src/config/load.js';
import type { ModelEntry } from '../../src/engines/model-entry.js';
import type { RawImage } from '../../src/imaging/raw-image.js';
import { createProvenance } from '../../src/provenance/provenance-service.js';
import { machineDescription, median } from '../edit/stats.js';

/**
 * What Content Credentials cost an answer: the finishing step (encoding) of a 1 MP and a 4 MP picture in
 * PNG, JPEG and WebP, without provenance (the reference, in the same run) and with it (XMP, the manifest
 * with the input as ingredient, the ES256 signature, the file rewritten). The pictures are mosaics of the
 * test photos; the input ingredient is the same picture as a JPEG. Variants alternate within each repeat;
 * medians, and the best run of the signature alone (the least disturbed by other work on a shared machine).
 * The budget is 50 ms per 1 MP answer. Usage: npm run bench:provenance [repeats]
 */

const TILES = ['astronaut.png', 'chelsea.png', 'coffee.png', 'motorcycle_left.png', 'rocket.jpg', 'fruits.jpg', 'baboon.jpg'];
const SIZES: Array<[label: string, width: number, height: number]> = [
  ['1 MP', 1152, 864],
  ['4 MP', 2304, 1728],
];
const FORMATS: OutputFormat[] = ['png', 'jpeg', 'webp'];

async function mosaic(width: number, height: number): Promise<RawImage> {
  const [cols, rows] = [4, 3];
  const [w, h] = [Math.floor(width / cols), Math.floor(height / rows)];
  const tiles = await Promise.all(
    Array.from({ length: cols * rows }, async (_, i) => ({
      input: await sharp(path.resolve('test/fixtures', TILES[i % TILES.length]!))
        .removeAlpha()
        .resize(w, h, { fit: 'cover' })
        .toBuffer(),
      left: (i % cols) * w,
      top: Math.floor(i / cols) * h,
    })),
  );
  const { data, info } = await sharp({ create: { width, height, channels: 3, background: '#000' } })
    .composite(tiles)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3 };
}

async function main(): Promise<void> {
  const repeats = Number(process.argv[2] ?? 7);
  const config = loadConfig({
    env: {},
    overrides: {
      provenance: {
        certificate: path.resolve('test/fixtures/c2pa/signer-chain.pem'),
        privateKey: path.resolve('test/fixtures/c2pa/signer-key.pem'),
      },
    },
  });
  const silent = { info() {}, warn() {} } as never;
  const provenance = createProvenance(config, silent, 'bench');
  await provenance.ready();
  await provenance.warmUp();
  const model = {
    id: 'local-edit',
    type: 'inpaint',
    engine: { kind: 'local-edit' },
    kindTraits: { newContent: false },
  } as unknown as ModelEntry;
  console.log(`machine: ${machineDescription()}, repeats ${repeats}`);
  console.log(
    '| size | format | answer without ms | answer with ms | signing alone ms (best) | signing / answer without | bytes added |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const [label, width, height] of SIZES) {
    const image = await mosaic(width, height);
    const input = await sharp(image.data, { raw: { width, height, channels: 3 } })
      .jpeg({ quality: 90 })
      .toBuffer();
    const job = provenance.forJob({ model, operation: 'edit', inputs: [{ bytes: input, format: 'jpeg' }] });
    const engineActions = job.engineActions([
      { action: 'c2pa.color_adjustments', description: 'Tone: warm', sourceType: 'algorithmicallyEnhanced' },
    ]);
    for (const format of FORMATS) {
      const [without, withIt, signing] = [[], [], []] as number[][];
      let added = 0;
      for (let r = 0; r < repeats; r++) {
        let started = performance.now();
        const plain = await finishOutput({ kind: 'raw', image }, { format });
        without.push(performance.now() - started);
        started = performance.now();
        const signed = await finishOutput({ kind: 'raw', image }, { format, provenance: { job, engineActions } });
        withIt.push(performance.now() - started);
        // The signature alone, on the very bytes the encoder wrote (the part that runs on this thread).
        started = performance.now();
        await job.stamp(plain.body, format, engineActions);
        signing.push(performance.now() - started);
        added = signed.body.length - plain.body.length;
      }
      const [a, b, c] = [median(without), median(withIt), median(signing)];
      const best = Math.min(...signing);
      console.log(
        `| ${label} | ${format} | ${a.toFixed(0)} | ${b.toFixed(0)} | ${c.toFixed(1)} (${best.toFixed(1)}) | ${(c / a).toFixed(2)} | ${added} |`,
      );
    }
  }
}

await main();
