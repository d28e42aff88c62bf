import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import sharp from 'sharp';
import { createSuperResolution, type SuperResolution } from '../../../src/resources/super-resolution/sr-pool.js';
import { SR_MODELS } from '../../../src/resources/super-resolution/sr-models.js';

/**
 * The worker pool: tiling is invisible (a tiled enlargement equals the whole-image one except for tiny
 * differences near tile edges), and an abandoned request stops between tiles and frees the worker.
 */
const logger = { info() {}, error() {} };
const faithful = SR_MODELS['esrgan-medium-x2'];
const generative = SR_MODELS['realesrgan-x4fast'];

async function photo(width: number, height: number) {
  const data = await sharp(readFileSync(path.resolve('test/fixtures/coffee.png')))
    .removeAlpha()
    .resize(width, height)
    .raw()
    .toBuffer();
  return new Uint8Array(data);
}

describe('super-resolution pool', () => {
  const pools: SuperResolution[] = [];
  after(async () => Promise.all(pools.map((p) => p.close())));
  const pool = (tileSize: number, tileOverlap: number) => {
    const created = createSuperResolution({ workers: 1, tileSize, tileOverlap }, logger);
    pools.push(created);
    return created;
  };

  test('tiles blended in their overlaps give the whole-image result, without seams', async () => {
    const [width, height] = [120, 100];
    const pixels = await photo(width, height);
    const job = { pixels, width, height, scale: 2 as const, faithful, generative, mix: 0.5, precision: 'float' as const };
    const whole = await pool(256, 16).upscale(job, AbortSignal.timeout(120_000));
    const heard: Array<[number, number]> = [];
    const tiled = await pool(48, 12).upscale(job, AbortSignal.timeout(120_000), (done, total) => heard.push([done, total]));
    // 3 x 3 tiles of 48 with 12 of overlap cover 120 x 100; the last report is all of them.
    assert.deepEqual(heard.at(-1), [9, 9]);
    assert.deepEqual([tiled.width, tiled.height], [240, 200]);
    let sum = 0;
    let worst = 0;
    for (let i = 0; i < whole.pixels.length; i++) {
      const d = Math.abs(whole.pixels[i] - tiled.pixels[i]);
      sum += d;
      worst = Math.max(worst, d);
    }
    const mean = sum / whole.pixels.length;
    assert.ok(mean < 0.5, `mean difference ${mean.toFixed(3)} levels`);
    assert.ok(worst < 40, `largest difference ${worst} levels`);
  });

  test('an abandoned request is rejected at once and the worker is free again after at most one tile', async () => {
    const sr = pool(32, 8);
    const pixels = await photo(512, 512);
    const controller = new AbortController();
    const started = performance.now();
    const running = sr.upscale(
      { pixels, width: 512, height: 512, scale: 2, faithful, generative, mix: 0, precision: 'float' },
      controller.signal,
    );
    setTimeout(() => controller.abort(new Error('client went away')), 1500);
    await assert.rejects(running, /client went away/);
    assert.ok(performance.now() - started < 5000);
    // 441 tiles of 32 x 32 (20 s of work or more here); the next job starts as soon as the current tile ends.
    const small = await photo(32, 32);
    const abandoned = performance.now();
    const next = await sr.upscale(
      { pixels: small, width: 32, height: 32, scale: 2, faithful, generative, mix: 0, precision: 'float' },
      AbortSignal.timeout(60_000),
    );
    assert.deepEqual([next.width, next.height], [64, 64]);
    const waited = performance.now() - abandoned;
    assert.ok(waited < 5000, `the next job finished ${waited.toFixed(0)} ms after the abort`);
  });
});
