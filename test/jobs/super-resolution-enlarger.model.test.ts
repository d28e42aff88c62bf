import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { loadConfig } from '../../src/config/load.js';
import { finishOutput } from '../../src/jobs/finish-output.js';
import { superResolutionEnlarger } from '../../src/jobs/super-resolution-enlarger.js';
import { testEngineContext } from '../helpers/engine-context.js';

/**
 * OpenAI's `size` on a smaller photo, enlarged by the super-resolution networks when the model is
 * configured so: the answer has the exact size, is the same picture, and is not Lanczos's.
 */
test('a 192x192 photo answered at 512x512 through the networks: exact size, same picture, not a plain resize', async () => {
  const config = loadConfig({
    env: {},
    overrides: {
      logLevel: 'silent',
      models: {
        upscaler: { engine: 'super-resolution', type: 'upscale', priceUsd: 0.02, options: { faithful: 'esrgan-medium' } },
      },
    },
  });
  const { resources } = testEngineContext(config);
  const enlarge = superResolutionEnlarger(config, resources, 300_000);
  assert.ok(enlarge, 'the networks run here');
  const source = await sharp(readFileSync(path.resolve('test/fixtures/astronaut.png')))
    .resize(192, 192)
    .png()
    .toBuffer();
  const { data, info } = await sharp(source).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const image = { data, width: info.width, height: info.height, channels: 3 as const };
  const byNetworks = await finishOutput({ kind: 'raw', image }, { exactSize: { width: 512, height: 512 }, enlarge });
  const byLanczos = await finishOutput({ kind: 'raw', image }, { exactSize: { width: 512, height: 512 } });
  assert.equal(byNetworks.enlargedWith, 'super-resolution');
  assert.equal(byLanczos.enlargedWith, 'lanczos3');
  for (const answer of [byNetworks, byLanczos]) assert.deepEqual([answer.width, answer.height], [512, 512]);
  const small = (png: Buffer) => sharp(png).resize(192, 192).removeAlpha().raw().toBuffer();
  const [a, b, original] = await Promise.all([
    small(byNetworks.body),
    small(byLanczos.body),
    sharp(source).removeAlpha().raw().toBuffer(),
  ]);
  const mean = (x: Buffer, y: Buffer) => x.reduce((sum, v, i) => sum + Math.abs(v - y[i]!), 0) / x.length;
  assert.ok(mean(a, original) < 6, `the networks keep the picture (${mean(a, original).toFixed(2)})`);
  assert.ok(mean(b, original) < 6, `so does Lanczos (${mean(b, original).toFixed(2)})`);
  const full = async (png: Buffer) => sharp(png).removeAlpha().raw().toBuffer();
  assert.ok(mean(await full(byNetworks.body), await full(byLanczos.body)) > 0.5, 'not the Lanczos answer');
  if (process.env.RETOUCH_TEST_ARTEFACTS) {
    await sharp(byNetworks.body).toFile(path.join(process.env.RETOUCH_TEST_ARTEFACTS, 'openai-size-super-resolution.png'));
    await sharp(byLanczos.body).toFile(path.join(process.env.RETOUCH_TEST_ARTEFACTS, 'openai-size-lanczos.png'));
  }
});
