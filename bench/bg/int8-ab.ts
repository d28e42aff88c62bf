// `node --import tsx bench/bg/int8-ab.ts [rounds]`: the static int8 ISNet (isnet-int8) against its float
// original (isnet), inference only, in one process: per photo the two run back to back, in alternating
// order, for `rounds` rounds. Prints wall and CPU time (user + system of this process, both intra-op
// threads) per model and their ratios, and the masks' agreement (IoU of alpha > 0.5, mean absolute alpha
// difference) at the model's output. The CPU-time ratio holds when other processes load the machine; wall
// times need a quiet one.
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { prepareModel } from '../../src/resources/onnx/model-rewrite.js';
import { sessionOptions } from '../../src/resources/onnx/session-options.js';
import { isnetInt8 } from '../../src/resources/segmenter/isnet-int8.js';
import { loadModelBytes } from '../../src/resources/segmenter/model-bytes.js';
import { toModelInput } from '../../src/resources/segmenter/preprocess.js';
import { BUILTIN_SEGMENTATION_MODELS } from '../../src/resources/segmenter/segmentation-models.js';
import { fmt, median } from './stats.js';

const rounds = Number(process.argv[2] ?? 2);
const spec = BUILTIN_SEGMENTATION_MODELS['isnet-int8'];
const side = spec.inputSize;
const options = sessionOptions({ workers: 1, intraOpThreads: 2 });
const prepared = prepareModel(await loadModelBytes(spec.source), spec.outputIndex);
const started = performance.now();
const int8 = isnetInt8(prepared.bytes, spec);
const quantizeMs = performance.now() - started;
const sessions = {
  float: await ort.InferenceSession.create(prepared.bytes, options),
  int8: await ort.InferenceSession.create(int8.bytes, options),
};
const dir = resolve('../shared/fixtures/photos');
const photos = readdirSync(dir)
  .filter((n) => /\.(png|jpe?g)$/i.test(n))
  .sort();
console.log(
  `load average ${(await import('node:os'))
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}; quantized ${int8.quantized} of ${int8.quantized + int8.float} convolutions in ${fmt(quantizeMs)} ms`,
);
console.log('| photo | float ms (cpu) | int8 ms (cpu) | wall ratio | cpu ratio | IoU | mean abs alpha diff |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
const all = { wall: [] as number[], cpu: [] as number[] };
for (const name of photos) {
  const { data, info } = await sharp(join(dir, name)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const input = toModelInput({ data, width: info.width, height: info.height, channels: 3 }, side, spec);
  const runs = { float: { wall: [] as number[], cpu: [] as number[] }, int8: { wall: [] as number[], cpu: [] as number[] } };
  const out: Partial<Record<'float' | 'int8', Float32Array>> = {};
  for (let round = 0; round < rounds; round++) {
    for (const kind of round % 2 === 0 ? (['float', 'int8'] as const) : (['int8', 'float'] as const)) {
      const session = sessions[kind];
      const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', input, [1, 3, side, side]) };
      const cpu = process.cpuUsage();
      const wall = performance.now();
      out[kind] = (await session.run(feeds, [prepared.outputName]))[prepared.outputName].data as Float32Array;
      runs[kind].wall.push(performance.now() - wall);
      const used = process.cpuUsage(cpu);
      runs[kind].cpu.push((used.user + used.system) / 1000);
    }
  }
  const [f, q] = [runs.float, runs.int8].map((r) => ({ wall: median(r.wall), cpu: median(r.cpu) }));
  let inter = 0;
  let union = 0;
  let diff = 0;
  for (let i = 0; i < out.float!.length; i++) {
    const a = Math.min(1, Math.max(0, out.float![i]));
    const b = Math.min(1, Math.max(0, out.int8![i]));
    if (a > 0.5 && b > 0.5) inter++;
    if (a > 0.5 || b > 0.5) union++;
    diff += Math.abs(a - b);
  }
  all.wall.push(q.wall / f.wall);
  all.cpu.push(q.cpu / f.cpu);
  console.log(
    `| ${name} | ${fmt(f.wall)} (${fmt(f.cpu)}) | ${fmt(q.wall)} (${fmt(q.cpu)}) | ${fmt(q.wall / f.wall, 2)} | ${fmt(q.cpu / f.cpu, 2)} | ${fmt(inter / union, 4)} | ${fmt(diff / out.float!.length, 4)} |`,
  );
}
console.log(`median ratio int8 / float: wall ${fmt(median(all.wall), 2)}, cpu ${fmt(median(all.cpu), 2)}`);
await Promise.all(Object.values(sessions).map((s) => s.release()));
