/**
 * `node --import tsx bench/upscale/targets.ts`: the upscale targets end to end through the
 * production pool (as /image/upscale runs them, PNG encoding aside), new defaults against the old ones in
 * the same run, with the load average before and after each case:
 * - a 1000 x 1000 photo at 2x with the default creativity (0.01): new (esrgan-medium-x2 + Real-ESRGAN,
 *   int8) against old (esrgan-thick-x2 + Real-ESRGAN, float); target at most 15 s on a quiet machine;
 * - a 2400 x 1600 photo at scale 4 (served at 2x) at creativity 0: new (esrgan-medium-x2, int8); target
 *   at most 120 s. The old default (esrgan-thick-x2, float) took 209 s quiet; BENCH_OLD=1 runs it too.
 * Each case also prints what the admission cost model estimated (upscale-cost.ts), to compare.
 * Environment: BENCH_REPEATS (default 1), BENCH_OLD=1.
 */
import { loadavg } from 'node:os';
import sharp from 'sharp';
import { creativityMix } from '../../src/engines/super-resolution/creativity.js';
import { createSuperResolution } from '../../src/resources/super-resolution/sr-pool.js';
import { faithfulNetworks, SR_MODELS } from '../../src/resources/super-resolution/sr-models.js';
import { estimateUpscaleSeconds, type UpscaleNetworks } from '../../src/resources/super-resolution/upscale-cost.js';
import { effectiveScale } from '../../src/resources/super-resolution/upscale-scale.js';

const REPEATS = Number(process.env.BENCH_REPEATS ?? 1);
const sr = createSuperResolution(
  { workers: 0, tileSize: 192, tileOverlap: 16, cacheDir: '/tmp/retouch-bench-int8' },
  { info() {}, error: console.error },
);
const generative = SR_MODELS['realesrgan-x4fast'];
const load = () => loadavg()[0].toFixed(1);

async function photo(width: number, height: number): Promise<Uint8Array> {
  const data = await sharp('test/fixtures/motorcycle_left.png')
    .removeAlpha()
    .resize(width, height, { fit: 'fill' })
    .raw()
    .toBuffer();
  return new Uint8Array(data);
}

async function run(label: string, width: number, height: number, requested: 2 | 4, networks: (scale: 2 | 4) => UpscaleNetworks) {
  const pixels = await photo(width, height);
  const scale = effectiveScale(width, height, requested);
  const chosen = networks(scale);
  for (let i = 0; i < REPEATS; i++) {
    const before = load();
    const started = performance.now();
    await sr.upscale({ pixels, width, height, scale, ...chosen }, AbortSignal.timeout(30 * 60_000));
    const seconds = (performance.now() - started) / 1000;
    const estimate = estimateUpscaleSeconds(width * height, chosen);
    console.log(
      `| ${label} | ${width}x${height} x${requested} (x${scale}) | ${seconds.toFixed(1)} | ${estimate.toFixed(0)} | ${before} -> ${load()} |`,
    );
  }
}

const newDefault = (mix: number) => (scale: 2 | 4) => ({
  faithful: faithfulNetworks()![scale],
  generative,
  mix,
  precision: 'int8' as const,
});
const oldDefault = (mix: number) => (scale: 2 | 4) => ({
  faithful: faithfulNetworks('esrgan-thick')![scale],
  generative,
  mix,
  precision: 'float' as const,
});

console.log(`# upscale targets, ${new Date().toISOString()}`);
console.log('| case | input | seconds | admission estimate s | load before -> after |');
console.log('|---|---|---:|---:|---|');
try {
  await sr.warmUp([SR_MODELS['esrgan-medium-x2'], generative], 'int8');
  await run('new default, creativity 0.01', 1000, 1000, 2, newDefault(creativityMix(0.01)));
  await run('old default, creativity 0.01', 1000, 1000, 2, oldDefault(creativityMix(0.01)));
  await run('new default, creativity 0', 2400, 1600, 4, newDefault(0));
  if (process.env.BENCH_OLD) await run('old default, creativity 0', 2400, 1600, 4, oldDefault(0));
} finally {
  await sr.close();
}
