import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import { loadModelFile, type ModelFile } from './model-files.js';

/**
 * TF.js on its WebAssembly backend, for the two detectors shipped as TF.js graph models. The wasm backend
 * installs from npm with its binaries inside the package (tfjs-node would download a native library), and
 * is the only usable one here: CenterNet at 512x512 took a median 0.67 s on it against 24 s on the pure-JS
 * cpu backend (same run, loaded 2-core machine). Used only inside the detection worker.
 */

let ready: Promise<void> | undefined;

function initBackend(): Promise<void> {
  ready ??= (async () => {
    if (!(await tf.setBackend('wasm'))) throw new Error('the TF.js wasm backend could not start');
    await tf.ready();
  })();
  return ready;
}

/** Loads a verified model.json + weights pair as a graph model. */
export async function loadTfGraph(graph: ModelFile, weights: ModelFile): Promise<GraphModel> {
  await initBackend();
  const json = JSON.parse(Buffer.from(await loadModelFile(graph)).toString('utf8'));
  const bin = await loadModelFile(weights);
  const weightData = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer;
  const specs = (json.weightsManifest as Array<{ weights: unknown[] }>).flatMap((group) => group.weights);
  return loadGraphModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs as never, weightData }));
}

export { tf };
