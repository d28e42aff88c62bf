import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { BUILTIN_SEGMENTATION_MODELS } from '../../src/resources/segmenter/segmentation-models.js';
import { loadModelBytes } from '../../src/resources/segmenter/model-bytes.js';
import { prepareModel } from '../../src/resources/onnx/model-rewrite.js';
import { toModelInput } from '../../src/resources/segmenter/preprocess.js';
import { sessionOptions } from '../../src/resources/onnx/session-options.js';
import { fmt, median } from './stats.js';

type Options = ort.InferenceSession.SessionOptions;

/** Each variant changes one thing from the chosen options (2 intra-op threads, no spinning, arena on). */
const VARIANTS: Array<[string, (base: Options) => Options]> = [
  ['chosen', (b) => b],
  ['intra-op threads 1', (b) => ({ ...b, intraOpNumThreads: 1 })],
  [
    'spinning on',
    (b) => ({ ...b, extra: { session: { intra_op: { allow_spinning: '1' }, inter_op: { allow_spinning: '1' } } } }),
  ],
  ['memory arena off', (b) => ({ ...b, enableCpuMemArena: false })],
  ['parallel execution, 2 inter-op', (b) => ({ ...b, executionMode: 'parallel', interOpNumThreads: 2 })],
  ['graph optimisation basic', (b) => ({ ...b, graphOptimizationLevel: 'basic' })],
];

/**
 * Inference alone (no pre/post-processing), one variant of the session options at a time, in this process,
 * on one photo: the evidence for session-options.ts. The variants take turns, round after round (a fresh
 * session each time, one warm-up run, two timed runs), so that the machine's drifting load touches them
 * all alike; the median of the timed runs is reported.
 */
export async function sweepSessionOptions(photo: string, log: (line: string) => void, rounds = 3) {
  const spec = BUILTIN_SEGMENTATION_MODELS.isnet;
  const prepared = prepareModel(await loadModelBytes(spec.source), spec.outputIndex);
  const { data, info } = await sharp(photo).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const input = toModelInput({ data, width: info.width, height: info.height, channels: 3 }, spec.inputSize, spec);
  const base = sessionOptions({ workers: 1, intraOpThreads: 2 });
  const runs = new Map<string, number[]>();
  const rss = new Map<string, number>();
  for (let round = 0; round < rounds; round++) {
    for (const [variant, change] of VARIANTS) {
      const session = await ort.InferenceSession.create(prepared.bytes, change(base));
      const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', input, [1, 3, spec.inputSize, spec.inputSize]) };
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        await session.run(feeds, [prepared.outputName]);
        if (i > 0) runs.set(variant, [...(runs.get(variant) ?? []), performance.now() - started]);
      }
      rss.set(variant, Math.max(rss.get(variant) ?? 0, process.memoryUsage().rss / 2 ** 20));
      await session.release();
    }
  }
  const chosen = median(runs.get('chosen')!);
  log('\n| session options (isnet, inference only) | median ms | vs chosen | process RSS MB after |');
  log('| --- | ---: | ---: | ---: |');
  const results = VARIANTS.map(([variant]) => ({ variant, ms: median(runs.get(variant)!), rssMb: rss.get(variant)! }));
  for (const r of results) log(`| ${r.variant} | ${fmt(r.ms)} | ${fmt(r.ms / chosen, 2)} | ${fmt(r.rssMb)} |`);
  return results;
}
