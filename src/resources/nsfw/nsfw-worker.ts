import { createRequire } from 'node:module';
import { dirname } from 'node:path';

/**
 * The NSFW classifier's worker thread: nsfwjs's MobileNetV2 (weights bundled in the npm package) on
 * TensorFlow.js's WebAssembly backend (its .wasm files ship in @tensorflow/tfjs-backend-wasm; nothing is
 * downloaded, no native add-on). Inference is synchronous WebAssembly, so it runs here rather than on
 * the server's event loop. Takes 224x224 RGB pixels, answers the five class probabilities.
 */

export interface ClassifyMessage {
  /** 224 x 224 x 3 bytes, RGB. */
  pixels: Uint8Array;
}

export type ClassProbabilities = Record<'Drawing' | 'Hentai' | 'Neutral' | 'Porn' | 'Sexy', number>;

export const INPUT_SIZE = 224;

type Model = { classify(image: unknown, topk?: number): Promise<Array<{ className: string; probability: number }>> };
type Tf = typeof import('@tensorflow/tfjs');

let loading: Promise<{ tf: Tf; model: Model }> | undefined;

async function load(): Promise<{ tf: Tf; model: Model }> {
  const tf = await import('@tensorflow/tfjs');
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const require = createRequire(import.meta.url);
  wasm.setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);
  if (!(await tf.setBackend('wasm'))) throw new Error('the TensorFlow.js WebAssembly backend did not start');
  await tf.ready();
  const nsfwjs = await import('nsfwjs');
  // nsfwjs announces the bundled model on console.info; in this worker that would land in the server's
  // log as a stray line, so it is silenced for the load only.
  const info = console.info;
  console.info = () => {};
  let model: Model;
  try {
    model = (await nsfwjs.load('MobileNetV2')) as unknown as Model;
  } finally {
    console.info = info;
  }
  return { tf, model };
}

export default async function classify(message: ClassifyMessage | { warmUp: true }): Promise<ClassProbabilities | null> {
  loading ??= load();
  const { tf, model } = await loading;
  if ('warmUp' in message) return null;
  const image = tf.tensor3d(message.pixels, [INPUT_SIZE, INPUT_SIZE, 3], 'int32');
  try {
    const predictions = await model.classify(image, 5);
    const out: ClassProbabilities = { Drawing: 0, Hentai: 0, Neutral: 0, Porn: 0, Sexy: 0 };
    for (const p of predictions) out[p.className as keyof ClassProbabilities] = p.probability;
    return out;
  } finally {
    image.dispose();
  }
}
