// `npm run bench:bg`: our background removal against the reference, @imgly/background-removal-node, in
// one run on the same photos. Prints per photo the latency of each (median of BENCH_BG_REPEATS runs), the
// ratio, and the mask agreement (IoU of alpha > 0.5, mean absolute alpha difference); then the medians,
// the built-in models compared, and the HTTP throughput with 4 concurrent clients, the health check's
// latency meanwhile and the server's peak RSS. `--session-options` adds the ONNX Runtime option sweep;
// `--no-http` stops before the HTTP part. Our mattes are written to bench/out/bg/ours-*.png.
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import sharp from 'sharp';
import { loadConfig } from '../../src/config/load.js';
import { cutout } from '../../src/engines/segmentation/cutout.js';
import { finishOutput } from '../../src/jobs/finish-output.js';
import { createSegmenter } from '../../src/resources/segmenter/index.js';
import { createImageLoader } from '../../src/inputs/index.js';
import { measureThroughput, type ThroughputResult } from './http-throughput.js';
import { ensureReferenceInstalled, ReferenceRunner } from './reference-client.js';
import { sweepSessionOptions } from './session-sweep.js';
import { agreement, fmt, median, readMatte } from './stats.js';

const REPEATS = Number(process.env.BENCH_BG_REPEATS ?? 3);
const REQUESTS = Number(process.env.BENCH_BG_REQUESTS ?? 16);
const OUT = resolve('bench/out/bg');
const log = (line = '') => process.stdout.write(`${line}\n`);

function photoList(): string[] {
  const shared = resolve('../shared/fixtures/photos');
  const dir = existsSync(shared) ? shared : resolve('test/fixtures');
  return readdirSync(dir)
    .filter((name) => /\.(png|jpe?g|webp)$/i.test(name))
    .sort()
    .map((name) => join(dir, name));
}

function machine(): string {
  const sh = (command: string) => execSync(command, { encoding: 'utf8' }).trim();
  const flags = readFileSync('/proc/cpuinfo', 'utf8');
  const simd = ['avx2', 'avx512f', 'avx512_vnni', 'avx512_bf16'].filter((f) => new RegExp(`\\b${f}\\b`).test(flags));
  return [
    sh("lscpu | grep -E '^(Model name|CPU\\(s\\)|Thread|Core|L2|L3)'"),
    `SIMD: ${simd.join(' ')}`,
    `nproc: ${sh('nproc')}`,
    sh('free -h | head -2'),
    `load average at start: ${sh('cat /proc/loadavg')}`,
    `node ${process.version}`,
  ].join('\n');
}

const config = loadConfig({ env: {} });
const loader = createImageLoader(config.inputs);
const quiet = { info() {}, error: (o: object, m?: string) => console.error(m, o) };

/** Our pipeline, as the server runs it: bytes -> decode -> segment -> PNG. Returns ms and the matte. */
async function ours(segmenter: ReturnType<typeof createSegmenter>, photo: string) {
  const bytes = readFileSync(photo);
  const started = performance.now();
  const image = await loader.fromBytes(bytes, 'image');
  const matte = await segmenter.segment(image);
  await finishOutput({ kind: 'raw', image: await cutout(image, matte) }, {});
  return { ms: performance.now() - started, matte };
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const photos = photoList();
  log(`## Machine\n${machine()}`);
  ensureReferenceInstalled(log);

  const segmenter = createSegmenter(config, quiet);
  const reference = new ReferenceRunner();
  log(
    `\nphotos: ${photos.length} from ${resolve(photos[0], '..')}, repeats: ${REPEATS}, model: ${segmenter.model}, plan: ${JSON.stringify(segmenter.plan)}`,
  );
  // Warm-up: both load their model once (session creation is excluded from the latencies).
  await segmenter.warmUp();
  await reference.run(photos[0], null);

  const times = new Map<string, { ours: number[]; ref: number[] }>();
  const mattes = new Map<string, Uint8Array>();
  for (let round = 0; round < REPEATS; round++) {
    for (const photo of photos) {
      const entry = times.get(photo) ?? { ours: [], ref: [] };
      times.set(photo, entry);
      const refMask = join(OUT, `reference-${basename(photo)}.png`);
      entry.ref.push(await reference.run(photo, round === 0 ? refMask : null));
      const run = await ours(segmenter, photo);
      entry.ours.push(run.ms);
      if (round === 0) {
        mattes.set(photo, run.matte.data);
        // Our matte beside the reference's, to look at.
        const { width, height } = run.matte;
        await sharp(run.matte.data, { raw: { width, height, channels: 1 } })
          .png()
          .toFile(join(OUT, `ours-${basename(photo)}.png`));
      }
    }
  }
  await reference.close();

  log('\n| photo | size | ours ms | reference ms | ratio | IoU | mean abs alpha diff |');
  log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
  const rows = [];
  for (const photo of photos) {
    const { ours: o, ref: r } = times.get(photo)!;
    const refMatte = await readMatte(join(OUT, `reference-${basename(photo)}.png`));
    const { iou, mad } = agreement(mattes.get(photo)!, refMatte);
    const meta = await sharp(photo).metadata();
    const row = { photo: basename(photo), ours: median(o), ref: median(r), iou, mad, size: `${meta.width}x${meta.height}` };
    rows.push(row);
    log(
      `| ${row.photo} | ${row.size} | ${fmt(row.ours)} | ${fmt(row.ref)} | ${fmt(row.ours / row.ref, 2)} | ${fmt(iou, 3)} | ${fmt(mad, 4)} |`,
    );
  }
  const medOurs = median(rows.map((r) => r.ours));
  const medRef = median(rows.map((r) => r.ref));
  const minIoU = Math.min(...rows.map((r) => r.iou));
  log(
    `\nmedian latency: ours ${fmt(medOurs)} ms, reference ${fmt(medRef)} ms, ratio ${fmt(medOurs / medRef, 2)} (target <= 0.2)`,
  );
  log(
    `median of per-photo ratios: ${fmt(median(rows.map((r) => r.ours / r.ref)), 2)}; lowest IoU: ${fmt(minIoU, 3)} (target >= 0.97 on every photo)`,
  );

  // The built-in models against each other: quality (agreement with the reference) per second.
  log('\n| model | median ms | median IoU vs reference | lowest IoU |');
  log('| --- | ---: | ---: | ---: |');
  const models = [{ model: segmenter.model, ms: medOurs, ious: rows.map((r) => r.iou) }];
  await segmenter.close();
  for (const name of ['isnet', 'isnet-int8', 'isnet-quantized'].filter((n) => n !== segmenter.model)) {
    const other = createSegmenter(config, quiet, { model: name });
    await other.warmUp();
    const m = { model: other.model, ms: [] as number[], ious: [] as number[] };
    for (const photo of photos) {
      const run = await ours(other, photo);
      m.ms.push(run.ms);
      m.ious.push(agreement(run.matte.data, await readMatte(join(OUT, `reference-${basename(photo)}.png`))).iou);
    }
    await other.close();
    models.push({ model: m.model, ms: median(m.ms), ious: m.ious });
  }
  for (const m of models) log(`| ${m.model} | ${fmt(m.ms)} | ${fmt(median(m.ious), 3)} | ${fmt(Math.min(...m.ious), 3)} |`);

  const sweep = process.argv.includes('--session-options') ? await sweepSessionOptions(photos[0], log) : [];

  if (process.argv.includes('--no-http')) {
    writeFileSync(join(OUT, 'results.json'), JSON.stringify({ rows, medOurs, medRef, models, sweep }, null, 2));
    return;
  }
  log(`\nHTTP: ${REQUESTS} requests from 4 concurrent clients, /healthz probed every 100 ms meanwhile`);
  log('| workers x intra-op threads | images/min | health p50 ms | health p99 ms | health max ms | peak RSS MB | failures |');
  log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  const bodies = photos.map((p) => readFileSync(p));
  const http: ThroughputResult[] = [];
  for (const workers of [0, 2]) {
    const result = await measureThroughput(bodies, { workers, requests: REQUESTS, concurrency: 4 });
    http.push(result);
    const plan = workers === 0 ? 'default (1 x 2)' : '2 x 1';
    const h = result.health;
    log(
      `| ${plan} | ${fmt(result.imagesPerMinute, 1)} | ${fmt(h.p50, 1)} | ${fmt(h.p99, 1)} | ${fmt(h.max, 1)} | ${fmt(result.peakRssMb)} | ${result.failures} |`,
    );
  }
  writeFileSync(join(OUT, 'results.json'), JSON.stringify({ rows, medOurs, medRef, models, sweep, http }, null, 2));
}

await main();
