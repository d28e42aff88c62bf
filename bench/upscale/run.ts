/**
 * `npm run bench:upscale`: the super-resolution engine against sharp's Lanczos, in the same run.
 *
 * Quality: each photo of test/fixtures (a centred crop of CROP x CROP pixels) is shrunk by the scale with
 * sharp's bicubic kernel, enlarged back, and compared with the original crop: SSIM (luma, 11x11 Gaussian
 * window, bench/inpaint/metrics.ts) and PSNR (RGB). Every configuration runs through the production pool
 * (worker thread, tiles, blending), so what is measured is what the API serves.
 * Speed: seconds per input megapixel (median over the photos), and the target case, a 512 x 512 input to
 * 2048 x 2048, repeated REPEATS times (median). Peak memory: the process RSS (worker threads included),
 * sampled every 50 ms.
 * Crops of the outputs beside Lanczos's and the original's are written to /tmp/upscale-bench/ for looking.
 *
 * Environment: BENCH_PHOTOS (how many photos, default all), BENCH_REPEATS (default 3), BENCH_SKIP_TIMING=1.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { psnrInHole, ssimInHole, type Rgb } from '../inpaint/metrics.js';
import { median } from '../bg/stats.js';
import { createSuperResolution } from '../../src/resources/super-resolution/sr-pool.js';
import { faithfulNetworks, SR_MODELS } from '../../src/resources/super-resolution/sr-models.js';
import type { Precision } from '../../src/resources/super-resolution/worker/sr-worker.js';
import { creativityMix } from '../../src/engines/super-resolution/creativity.js';

const CROP = 288; // the largest square every photo holds (chelsea is 451 x 300), divisible by 4
const PHOTOS_DIR = 'test/fixtures';
const OUT = '/tmp/upscale-bench';
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const photos = readdirSync(PHOTOS_DIR)
  .filter((f) => /\.(png|jpe?g)$/.test(f))
  .slice(0, Number(process.env.BENCH_PHOTOS ?? 99));

interface Config {
  label: string;
  /** The faithful family at both scales; undefined: the defaults (medium at 2x, thick at 4x). */
  family?: string;
  creativity: number;
  precision: Precision;
}
const ALL_CONFIGS: Config[] = [
  { label: 'defaults, creativity 0, int8', creativity: 0, precision: 'int8' },
  { label: 'defaults, creativity 0, float', creativity: 0, precision: 'float' },
  { label: 'defaults + Real-ESRGAN, creativity 0.01, int8 (default)', creativity: 0.01, precision: 'int8' },
  { label: 'defaults + Real-ESRGAN, creativity 0.01, float', creativity: 0.01, precision: 'float' },
  { label: 'Real-ESRGAN x4fast, creativity 0.02, int8', creativity: 0.02, precision: 'int8' },
  { label: 'Real-ESRGAN x4fast, creativity 0.02, float', creativity: 0.02, precision: 'float' },
  { label: 'esrgan-thick, creativity 0, float (old default)', family: 'esrgan-thick', creativity: 0, precision: 'float' },
  {
    label: 'esrgan-thick + Real-ESRGAN, creativity 0.01, float (old default)',
    family: 'esrgan-thick',
    creativity: 0.01,
    precision: 'float',
  },
  { label: 'esrgan-thick, creativity 0, int8', family: 'esrgan-thick', creativity: 0, precision: 'int8' },
  { label: 'esrgan-medium, creativity 0, int8', family: 'esrgan-medium', creativity: 0, precision: 'int8' },
];
// BENCH_CONFIGS=0,2,6 runs a subset (indexes into the list above).
const CONFIGS = process.env.BENCH_CONFIGS ? process.env.BENCH_CONFIGS.split(',').map((i) => ALL_CONFIGS[Number(i)]) : ALL_CONFIGS;

const sr = createSuperResolution(
  { workers: 0, tileSize: 192, tileOverlap: 16, cacheDir: '/tmp/retouch-bench-int8' },
  { info() {}, error: console.error },
);
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

async function enlarge(pixels: Uint8Array, width: number, height: number, scale: 2 | 4, config: Config) {
  const started = performance.now();
  const out = await sr.upscale(
    {
      pixels,
      width,
      height,
      scale,
      faithful: faithfulNetworks(config.family)![scale],
      generative: SR_MODELS['realesrgan-x4fast'],
      mix: creativityMix(config.creativity),
      precision: config.precision,
    },
    AbortSignal.timeout(30 * 60_000),
  );
  return { ...out, seconds: (performance.now() - started) / 1000 };
}

const rgb = (data: Uint8Array, width: number, height: number): Rgb => ({ data, width, height, channels: 3 });
const full = new Uint8Array(CROP * CROP).fill(255);
const score = (a: Rgb, b: Rgb) => ({ ssim: ssimInHole(a, b, full), psnr: psnrInHole(a, b, full) });
const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;

async function quality(scale: 2 | 4) {
  const rows: Record<string, { ssim: number[]; psnr: number[]; sPerMp: number[]; peak: number; wins: number }> = {};
  const lanczos = { ssim: [] as number[], psnr: [] as number[] };
  for (const photo of photos) {
    const image = sharp(join(PHOTOS_DIR, photo)).removeAlpha();
    const meta = await image.metadata();
    const box = { left: (meta.width! - CROP) >> 1, top: (meta.height! - CROP) >> 1, width: CROP, height: CROP };
    const original = new Uint8Array(await image.extract(box).raw().toBuffer());
    const side = CROP / scale;
    const small = new Uint8Array(
      await sharp(original, { raw: { width: CROP, height: CROP, channels: 3 } })
        .resize(side, side, { kernel: 'cubic' })
        .raw()
        .toBuffer(),
    );
    const reference = new Uint8Array(
      await sharp(small, { raw: { width: side, height: side, channels: 3 } })
        .resize(CROP, CROP, { kernel: 'lanczos3' })
        .raw()
        .toBuffer(),
    );
    const base = score(rgb(original, CROP, CROP), rgb(reference, CROP, CROP));
    lanczos.ssim.push(base.ssim);
    lanczos.psnr.push(base.psnr);
    const outputs: Array<[string, Uint8Array]> = [['lanczos', reference]];
    for (const config of CONFIGS) {
      peakRss = 0;
      const out = await enlarge(small, side, side, scale, config);
      const s = score(rgb(original, CROP, CROP), rgb(out.pixels, CROP, CROP));
      rows[config.label] ??= { ssim: [], psnr: [], sPerMp: [], peak: 0, wins: 0 };
      const row = rows[config.label];
      row.ssim.push(s.ssim);
      row.psnr.push(s.psnr);
      row.sPerMp.push(out.seconds / ((side * side) / 1e6));
      row.peak = Math.max(row.peak, peakRss);
      if (s.ssim > base.ssim) row.wins++;
      outputs.push([config.label, out.pixels]);
    }
    outputs.push(['original', original]);
    await contactSheet(`${OUT}/${photo.replace(/\.\w+$/, '')}-x${scale}.png`, outputs);
  }
  console.log(
    `\n## x${scale}: ${photos.length} photos, ${CROP}x${CROP} crops shrunk to ${CROP / scale}x${CROP / scale} and enlarged back`,
  );
  console.log(
    '| method | mean SSIM | SSIM - Lanczos | mean PSNR dB | PSNR - Lanczos | SSIM above Lanczos | median s per input MP | peak RSS MB |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  console.log(`| sharp Lanczos3 | ${mean(lanczos.ssim).toFixed(4)} | | ${mean(lanczos.psnr).toFixed(2)} | | | | |`);
  for (const [label, row] of Object.entries(rows)) {
    const dS = mean(row.ssim) - mean(lanczos.ssim);
    const dP = mean(row.psnr) - mean(lanczos.psnr);
    console.log(
      `| ${label} | ${mean(row.ssim).toFixed(4)} | ${dS >= 0 ? '+' : ''}${dS.toFixed(4)} | ${mean(row.psnr).toFixed(2)} | ${dP >= 0 ? '+' : ''}${dP.toFixed(2)} | ` +
        `${row.wins}/${photos.length} | ${median(row.sPerMp).toFixed(1)} | ${(row.peak / 2 ** 20).toFixed(0)} |`,
    );
  }
}

/** A 96 x 96 crop from the middle of each output, enlarged 3x with nearest neighbour, side by side. */
async function contactSheet(path: string, outputs: Array<[string, Uint8Array]>) {
  const tile = 96;
  const zoom = 3;
  const parts = await Promise.all(
    outputs.map(([, data]) =>
      sharp(data, { raw: { width: CROP, height: CROP, channels: 3 } })
        .extract({ left: (CROP - tile) >> 1, top: (CROP - tile) >> 1, width: tile, height: tile })
        .resize(tile * zoom, tile * zoom, { kernel: 'nearest' })
        .png()
        .toBuffer(),
    ),
  );
  const width = parts.length * (tile * zoom + 6);
  await sharp({ create: { width, height: tile * zoom, channels: 3, background: 'white' } })
    .composite(parts.map((input, i) => ({ input, left: i * (tile * zoom + 6), top: 0 })))
    .png()
    .toFile(path);
}

/** The target case: a 512 x 512 photo to 2048 x 2048 at creativity 0, median of REPEATS runs. */
async function timing() {
  const pixels = new Uint8Array(await sharp(join(PHOTOS_DIR, 'astronaut.png')).removeAlpha().resize(512, 512).raw().toBuffer());
  console.log(`\n## 512x512 -> 2048x2048 (x4), ${REPEATS} runs each, sharp Lanczos3 in the same run`);
  console.log('| method | median s | runs s | Lanczos median s | ratio to Lanczos | peak RSS MB |');
  console.log('|---|---|---|---|---|---|');
  for (const config of [ALL_CONFIGS[6], ALL_CONFIGS[0], ALL_CONFIGS[2]]) {
    const ours: number[] = [];
    const theirs: number[] = [];
    peakRss = 0;
    for (let i = 0; i < REPEATS; i++) {
      ours.push((await enlarge(pixels, 512, 512, 4, config)).seconds);
      const started = performance.now();
      await sharp(pixels, { raw: { width: 512, height: 512, channels: 3 } })
        .resize(2048, 2048, { kernel: 'lanczos3' })
        .raw()
        .toBuffer();
      theirs.push((performance.now() - started) / 1000);
    }
    const m = median(ours);
    console.log(
      `| ${config.label} | ${m.toFixed(1)} | ${ours.map((s) => s.toFixed(1)).join(', ')} | ${median(theirs).toFixed(3)} | ${(m / median(theirs)).toFixed(0)}x | ${(peakRss / 2 ** 20).toFixed(0)} |`,
    );
  }
}

mkdirSync(OUT, { recursive: true });
console.log(
  `# bench:upscale, ${new Date().toISOString()}: ${cpus()[0]?.model} x${availableParallelism()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
);
try {
  // Load the networks once, so that the first photo does not pay for the conversion.
  await sr.warmUp(Object.values(SR_MODELS), 'float');
  await sr.warmUp(Object.values(SR_MODELS), 'int8');
  await quality(4);
  await quality(2);
  if (!process.env.BENCH_SKIP_TIMING) await timing();
} finally {
  clearInterval(sampler);
  await sr.close();
}
console.log(`\ncontact sheets (lanczos | ${CONFIGS.map((c) => c.label).join(' | ')} | original): ${OUT}/`);
