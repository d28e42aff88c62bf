/**
 * `node --import tsx bench/upscale/throughput.ts [networks...]`: seconds per input megapixel of each
 * super-resolution network, float against int8, through the production pool (one worker, ONNX Runtime
 * with the server's session options, 192-pixel tiles with 16 of overlap, blending), on a 384 x 384 crop
 * of a real photo (3 x 3 tiles, so tile overlap is paid as on large inputs). Float and int8 runs are
 * interleaved, REPEATS rounds, so both see the same load; the median of each and their ratio are printed
 * with the load average. These numbers feed the admission cost model (upscale-cost.ts).
 *
 * Environment: BENCH_REPEATS (default 3), BENCH_SIDE (default 384).
 */
import { loadavg } from 'node:os';
import sharp from 'sharp';
import { median } from '../bg/stats.js';
import { createSuperResolution } from '../../src/resources/super-resolution/sr-pool.js';
import { SR_MODELS } from '../../src/resources/super-resolution/sr-models.js';
import type { Precision } from '../../src/resources/super-resolution/worker/sr-worker.js';

const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const SIDE = Number(process.env.BENCH_SIDE ?? 384);
const names = process.argv.length > 2 ? process.argv.slice(2) : Object.keys(SR_MODELS);
const sr = createSuperResolution(
  { workers: 0, tileSize: 192, tileOverlap: 16, cacheDir: '/tmp/retouch-bench-int8' },
  { info() {}, error: console.error },
);
const pixels = new Uint8Array(
  await sharp('test/fixtures/astronaut.png')
    .removeAlpha()
    .extract({ left: 64, top: 64, width: SIDE, height: SIDE })
    .raw()
    .toBuffer(),
);
const load = () => loadavg()[0].toFixed(1);

async function time(name: string, precision: Precision): Promise<number> {
  const spec = SR_MODELS[name];
  const started = performance.now();
  await sr.upscale(
    { pixels, width: SIDE, height: SIDE, scale: spec.scale, faithful: spec, generative: spec, mix: 0, precision },
    AbortSignal.timeout(20 * 60_000),
  );
  return (performance.now() - started) / 1000 / ((SIDE * SIDE) / 1e6);
}

console.log(`# super-resolution throughput, ${new Date().toISOString()}, ${SIDE}x${SIDE} input, load average ${load()}`);
console.log('| network | float s/MP | int8 s/MP | int8 / float | runs float | runs int8 | load before -> after |');
console.log('|---|---:|---:|---:|---|---|---|');
try {
  for (const name of names) {
    const before = load();
    // Load (and for int8, calibrate or read from the cache) outside the timing.
    await sr.warmUp([SR_MODELS[name]], 'float');
    await sr.warmUp([SR_MODELS[name]], 'int8');
    const float: number[] = [];
    const int8: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      float.push(await time(name, 'float'));
      int8.push(await time(name, 'int8'));
    }
    const f = median(float);
    const q = median(int8);
    const runs = (v: number[]) => v.map((s) => s.toFixed(1)).join(', ');
    console.log(
      `| ${name} | ${f.toFixed(1)} | ${q.toFixed(1)} | ${(q / f).toFixed(2)} | ${runs(float)} | ${runs(int8)} | ${before} -> ${load()} |`,
    );
  }
} finally {
  await sr.close();
}
