import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { kerasToOnnx, type LayersModelJson } from '../../../src/resources/onnx/keras-to-onnx.js';
import { packageDir } from '../../../src/resources/super-resolution/model-files.js';

/**
 * The check of the Keras-to-ONNX conversion against TF.js itself (CPU backend), shared by the model test
 * (which asserts a bound) and `bench/upscale/check-keras.ts` (which prints the difference). The packages'
 * two custom layers are registered for TF.js from their documented behaviour: a constant 0.2 multiply, and
 * depthToSpace in NHWC.
 */
const first = (inputs: tf.Tensor | tf.Tensor[]) => (Array.isArray(inputs) ? inputs[0] : inputs);
class MultiplyBeta extends tf.layers.Layer {
  static className = 'MultiplyBeta';
  override call(inputs: tf.Tensor | tf.Tensor[]) {
    return tf.mul(first(inputs), 0.2);
  }
}
function pixelShuffle(scale: number) {
  return class extends tf.layers.Layer {
    static className = `PixelShuffle${scale}x`;
    override computeOutputShape(shape: tf.Shape | tf.Shape[]) {
      const s = (Array.isArray(shape[0]) ? shape[0] : shape) as tf.Shape;
      return [s[0], s[1], s[2], 3];
    }
    override call(inputs: tf.Tensor | tf.Tensor[]) {
      return tf.depthToSpace(first(inputs) as tf.Tensor4D, scale, 'NHWC');
    }
  };
}
tf.serialization.registerClass(MultiplyBeta);
tf.serialization.registerClass(pixelShuffle(2));
tf.serialization.registerClass(pixelShuffle(4));

/** An installed layers model (`@upscalerjs/esrgan-thick`, x4): its topology and weight shards. */
export function readLayersModel(pkg: string, scale: number): { json: LayersModelJson; shards: Uint8Array[][] } {
  const dir = join(packageDir(pkg)!, `models/x${scale}`);
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as LayersModelJson;
  const shards = json.weightsManifest.map((g) => g.paths.map((p) => new Uint8Array(readFileSync(join(dir, p)))));
  return { json, shards };
}

/**
 * Runs `hwc` (an H x W RGB image, floats, interleaved) through the converted ONNX graph and through TF.js,
 * and gives the largest absolute difference between the two outputs, and the ONNX output's dims.
 */
export async function largestDifferenceFromTfjs(
  pkg: string,
  scale: number,
  hwc: Float32Array,
  height: number,
  width: number,
): Promise<{ largest: number; dims: readonly number[] }> {
  const { json, shards } = readLayersModel(pkg, scale);
  const session = await ort.InferenceSession.create(kerasToOnnx(json, shards), { intraOpNumThreads: 2 });
  const chw = new Float32Array(hwc.length);
  for (let c = 0; c < 3; c++) for (let i = 0; i < height * width; i++) chw[c * height * width + i] = hwc[i * 3 + c];
  const ours = (await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', chw, [1, 3, height, width]) }))[
    session.outputNames[0]
  ];
  await session.release();
  await tf.setBackend('cpu');
  const weightData = Buffer.concat(shards.flat());
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology as never,
      weightSpecs: json.weightsManifest.flatMap((g) => g.weights) as never,
      weightData: weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength),
    }),
  );
  const reference = (model.predict(tf.tensor4d(hwc, [1, height, width, 3])) as tf.Tensor).dataSync();
  model.dispose();
  const data = ours.data as Float32Array;
  const plane = height * width * scale * scale;
  let largest = 0;
  for (let c = 0; c < 3; c++)
    for (let i = 0; i < plane; i++) largest = Math.max(largest, Math.abs(data[c * plane + i] - reference[i * 3 + c]));
  return { largest, dims: ours.dims };
}
