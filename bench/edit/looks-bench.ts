/**
 * The painted looks at 1 MP: "make it look like an oil painting" and "cartoon style" through local-edit
 * (decode, the look in an imaging worker, PNG encode), median of 5 after one warm-up, with the load
 * average, against the target of 3 s. Run: `node --import tsx bench/edit/looks-bench.ts`.
 */
import { loadavg } from 'node:os';
import { test } from 'node:test';
import sharp from 'sharp';
import { localEditEngineFactory } from '../../src/engines/local-edit/index.js';
import { runEncoded, testEngineContext } from '../../test/helpers/engine-context.js';

const PROMPTS = ['make it look like an oil painting', 'cartoon style please'];
const PHOTOS = ['street.jpg', 'baboon.jpg'];

test('looks at 1 MP', async () => {
  const engine = localEditEngineFactory.create(localEditEngineFactory.optionsSchema.parse({}), testEngineContext(), 'local-edit');
  for (const photo of PHOTOS) {
    const { data, info } = await sharp(`test/fixtures/${photo}`)
      .resize(1155, 866, { fit: 'cover' })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const image = { width: info.width, height: info.height, channels: 3 as const, data };
    for (const prompt of PROMPTS) {
      const times: number[] = [];
      for (let k = 0; k < 6; k++) {
        const start = performance.now();
        await runEncoded(engine, {
          operation: 'edit',
          images: [image],
          prompt,
          options: {},
          signal: AbortSignal.timeout(60_000),
        });
        if (k > 0) times.push(performance.now() - start);
      }
      times.sort((a, b) => a - b);
      console.log(
        `${photo} 1155x866 "${prompt}": median ${Math.round(times[2])} ms (${times.map(Math.round).join(', ')}), load ${loadavg()[0].toFixed(1)}`,
      );
    }
  }
});
