import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { packageDir } from '../../../src/resources/super-resolution/model-files.js';
import { kerasToOnnx, type LayersModelJson } from '../../../src/resources/super-resolution/keras-to-onnx.js';

/**
 * The installed ESRGAN layers models converted to ONNX and run on ONNX Runtime give TF.js's own numbers
 * (CPU backend) on the same input. The packages' two custom layers are registered for TF.js from their
 * documented behaviour (a constant 0.2 multiply, depthToSpace in NHWC).
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

function read(pkg: string, scale: number) {
  const dir = join(packageDir(pkg)!, `models/x${scale}`);
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as LayersModelJson;
  const shards = json.weightsManifest.map((g) => g.paths.map((p) => new Uint8Array(readFileSync(join(dir, p)))));
  return { json, shards };
}

describe('Keras layers model to ONNX', () => {
  for (const [pkg, scale] of [
    ['@upscalerjs/esrgan-medium', 2],
    ['@upscalerjs/esrgan-thick', 4],
  ] as const) {
    test(`${pkg} x${scale} matches TF.js within 1e-5`, async () => {
      const { json, shards } = read(pkg, scale);
      const session = await ort.InferenceSession.create(kerasToOnnx(json, shards));
      const [H, W] = [9, 7];
      const hwc = Float32Array.from({ length: H * W * 3 }, (_, i) => ((i * 37) % 101) / 100);
      const chw = new Float32Array(hwc.length);
      for (let c = 0; c < 3; c++) for (let i = 0; i < H * W; i++) chw[c * H * W + i] = hwc[i * 3 + c];
      const ours = (await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', chw, [1, 3, H, W]) }))[
        session.outputNames[0]
      ];
      assert.deepEqual(ours.dims, [1, 3, H * scale, W * scale]);
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
      const data = ours.data as Float32Array;
      const plane = H * W * scale * scale;
      let worst = 0;
      for (let c = 0; c < 3; c++)
        for (let i = 0; i < plane; i++) worst = Math.max(worst, Math.abs(data[c * plane + i] - reference[i * 3 + c]));
      assert.ok(worst < 1e-5, `largest difference ${worst}`);
      model.dispose();
    });
  }

  test('an unknown layer is refused by name', () => {
    const { json, shards } = read('@upscalerjs/esrgan-medium', 2);
    const changed = structuredClone(json);
    changed.modelTopology.model_config.config.layers[3].class_name = 'Dropout';
    assert.throws(() => kerasToOnnx(changed, shards), /Dropout is not supported/);
    assert.throws(() => kerasToOnnx(json, [[shards[0][0].subarray(0, 100)]]), /too short/);
  });
});
