import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { kerasToOnnx } from '../../../src/resources/onnx/keras-to-onnx.js';
import { largestDifferenceFromTfjs, readLayersModel } from '../super-resolution/tfjs-reference.js';

/** The installed ESRGAN layers models converted to ONNX and run on ONNX Runtime give TF.js's own numbers. */
describe('Keras layers model to ONNX', () => {
  for (const [pkg, scale] of [
    ['@upscalerjs/esrgan-medium', 2],
    ['@upscalerjs/esrgan-thick', 4],
  ] as const) {
    test(`${pkg} x${scale} matches TF.js within 1e-5`, async () => {
      const [H, W] = [9, 7];
      const hwc = Float32Array.from({ length: H * W * 3 }, (_, i) => ((i * 37) % 101) / 100);
      const { largest, dims } = await largestDifferenceFromTfjs(pkg, scale, hwc, H, W);
      assert.deepEqual(dims, [1, 3, H * scale, W * scale]);
      assert.ok(largest < 1e-5, `largest difference ${largest}`);
    });
  }

  test('an unknown layer is refused by name', () => {
    const { json, shards } = readLayersModel('@upscalerjs/esrgan-medium', 2);
    const changed = structuredClone(json);
    changed.modelTopology.model_config.config.layers[3].class_name = 'Dropout';
    assert.throws(() => kerasToOnnx(changed, shards), /Dropout is not supported/);
    assert.throws(() => kerasToOnnx(json, [[shards[0][0].subarray(0, 100)]]), /too short/);
  });
});
