import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { activationPercentiles, activationRanges } from '../../../src/resources/onnx/calibrate.js';
import { tinyBrightnessModel } from '../segmenter/tiny-onnx.js';

/**
 * Percentile calibration on a real (tiny) ONNX model: `brightness` is the channel mean of `image`,
 * `inverted` its negation. One extreme pixel, as ISNet's heavy-tailed activations have, must widen a
 * min-max range but not a percentile one; the low end follows the values when they go negative.
 */
const SIDE = 40;
const options = { intraOpNumThreads: 1 };

function image(): Float32Array {
  const data = new Float32Array(3 * SIDE * SIDE);
  for (let i = 0; i < data.length; i++) data[i] = i / data.length;
  data[0] = 1000; // row 0, column 0: read by the strided sampling
  return data;
}

describe('activation percentiles', () => {
  test('an outlier sets the min-max range but is clipped by the 99th percentile', async () => {
    const model = tinyBrightnessModel(SIDE);
    const inputs = [{ data: image(), dims: [1, 3, SIDE, SIDE] }];
    const minMax = await activationRanges(model, ['image'], inputs, options);
    assert.equal(minMax.get('image')?.max, 1000);
    const ranges = await activationPercentiles(model, ['image', 'inverted'], inputs, options, { percentile: 0.99, stride: 4 });
    // The strided sample: every 4th row and column of each channel, 300 values; the 99th percentile of them.
    const sample: number[] = [];
    const data = image();
    for (let c = 0; c < 3; c++)
      for (let y = 0; y < SIDE; y += 4) for (let x = 0; x < SIDE; x += 4) sample.push(data[(c * SIDE + y) * SIDE + x]);
    sample.sort((a, b) => a - b);
    const expected = Math.fround(sample[Math.round(0.99 * (sample.length - 1))]);
    assert.deepEqual(ranges.get('image'), { min: 0, max: expected });
    assert.ok(expected < 1);
    const inverted = ranges.get('inverted')!;
    assert.ok(inverted.min < 0 && inverted.min > -1, `inverted min ${inverted.min}: the outlier's -333 clipped`);
    assert.ok(inverted.max <= 0);
  });
});
