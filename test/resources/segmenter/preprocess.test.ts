import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resizePlane, samplingTable, toModelInput } from '../../../src/resources/segmenter/preprocess.js';
import { activate } from '../../../src/resources/segmenter/matte-refine.js';

describe('model input', () => {
  test('normalises each channel as (v / 255 - mean) / std into planar order', () => {
    const data = new Uint8Array([255, 0, 51, 255, 0, 51, 255, 0, 51, 255, 0, 51]); // 2x2, one colour
    const tensor = toModelInput({ data, width: 2, height: 2, channels: 3 }, 2, { mean: [0.5, 0.5, 0.2], std: [0.5, 1, 0.25] });
    assert.equal(tensor.length, 12);
    for (let i = 0; i < 4; i++) {
      assert.ok(Math.abs(tensor[i] - 1) < 1e-6); // red: (1 - 0.5) / 0.5
      assert.ok(Math.abs(tensor[4 + i] + 0.5) < 1e-6); // green: (0 - 0.5) / 1
      assert.ok(Math.abs(tensor[8 + i] - 0) < 1e-6); // blue: (0.2 - 0.2) / 0.25
    }
  });

  test('reads RGBA input, ignoring alpha', () => {
    const data = new Uint8Array([10, 20, 30, 0]);
    const tensor = toModelInput({ data, width: 1, height: 1, channels: 4 }, 1, { mean: [0, 0, 0], std: [1, 1, 1] });
    assert.deepEqual(
      [...tensor].map((v) => Math.round(v * 255)),
      [10, 20, 30],
    );
  });

  test('samples corner-aligned, like the reference implementation', () => {
    const table = samplingTable(4, 8); // upscale x2: positions 0, 0.5, 1, ... 3.5 (clamped to 3)
    assert.deepEqual([...table.lo], [0, 0, 1, 1, 2, 2, 3, 3]);
    assert.deepEqual([...table.weight], [0, 0.5, 0, 0.5, 0, 0.5, 0, 0]);
    const ramp = Float32Array.from([0, 1, 2, 3]);
    assert.deepEqual([...resizePlane(ramp, 4, 1, 8, 1)], [0, 0.5, 1, 1.5, 2, 2.5, 3, 3]);
  });
});

describe('activations', () => {
  test('identity leaves values, sigmoid maps logits, minmax stretches to 0..1', () => {
    assert.deepEqual(
      [...activate(Float32Array.from([0.2, 0.8]), 'identity')].map((v) => +v.toFixed(2)),
      [0.2, 0.8],
    );
    assert.deepEqual(
      [...activate(Float32Array.from([0, 100, -100]), 'sigmoid')].map((v) => +v.toFixed(2)),
      [0.5, 1, 0],
    );
    assert.deepEqual([...activate(Float32Array.from([2, 4, 3]), 'minmax')], [0, 1, 0.5]);
  });
});
