/**
 * Checks the Keras-to-ONNX conversion against TF.js itself (CPU backend): the same random input through
 * both, largest absolute difference printed. `node --import tsx bench/upscale/check-keras.ts [scale] [package]`
 * e.g. `4 esrgan-thick`. Results in bench/RESULTS.md.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { kerasToOnnx, type LayersModelJson } from '../../src/resources/super-resolution/keras-to-onnx.js';

const scale = Number(process.argv[2] ?? 4);
const pkg = process.argv[3] ?? 'esrgan-thick';
const dir = `node_modules/@upscalerjs/${pkg}/models/x${scale}`;
const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as LayersModelJson;
const shards = json.weightsManifest.map((g) => g.paths.map((p) => new Uint8Array(readFileSync(join(dir, p)))));
const session = await ort.InferenceSession.create(kerasToOnnx(json, shards), { intraOpNumThreads: 2 });

const H = 24;
const W = 20;
const hwc = new Float32Array(H * W * 3).map(() => Math.random());
const chw = new Float32Array(3 * H * W);
for (let c = 0; c < 3; c++) for (let i = 0; i < H * W; i++) chw[c * H * W + i] = hwc[i * 3 + c];
const ours = (await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', chw, [1, 3, H, W]) }))[
  session.outputNames[0]
].data as Float32Array;

// The packages' two custom layers, written from their documented behaviour so TF.js can load the model.
const first = (inputs: tf.Tensor | tf.Tensor[]) => (Array.isArray(inputs) ? inputs[0] : inputs);
class MultiplyBeta extends tf.layers.Layer {
  static className = 'MultiplyBeta';
  constructor() {
    super({});
  }
  override call(inputs: tf.Tensor | tf.Tensor[]) {
    return tf.mul(first(inputs), 0.2);
  }
}
class PixelShuffle extends tf.layers.Layer {
  static className = `PixelShuffle${scale}x`;
  constructor() {
    super({});
  }
  override computeOutputShape(shape: tf.Shape | tf.Shape[]) {
    const s = (Array.isArray(shape[0]) ? shape[0] : shape) as tf.Shape;
    return [s[0], s[1], s[2], 3];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]) {
    return tf.depthToSpace(first(inputs) as tf.Tensor4D, scale, 'NHWC');
  }
}
tf.serialization.registerClass(MultiplyBeta);
tf.serialization.registerClass(PixelShuffle);
await tf.setBackend('cpu');
const weightData = Buffer.concat(shards.flat());
const model = await tf.loadLayersModel(
  tf.io.fromMemory({
    modelTopology: json.modelTopology as never,
    weightSpecs: json.weightsManifest.flatMap((g) => g.weights) as never,
    weightData: weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength),
  }),
);
const reference = (model.predict(tf.tensor4d(hwc, [1, H, W, 3])) as tf.Tensor).dataSync();
const OH = H * scale;
const OW = W * scale;
let max = 0;
for (let c = 0; c < 3; c++)
  for (let i = 0; i < OH * OW; i++) max = Math.max(max, Math.abs(ours[c * OH * OW + i] - reference[i * 3 + c]));
console.log(`${pkg} x${scale}: largest difference between ONNX Runtime and TF.js: ${max.toExponential(2)}`);
