import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { prepareModel } from '../../../src/resources/onnx/model-rewrite.js';
import { decodeMessage, encodeMessage, readVarint, varint } from '../../../src/resources/onnx/onnx-protobuf.js';
import { tinyBrightnessModel, tinyHalfModel } from '../segmenter/tiny-onnx.js';

async function run(model: Uint8Array, input: Float32Array, dims: number[], output: string): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(model);
  try {
    const result = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input, dims) }, [output]);
    return result[output].data as Float32Array;
  } finally {
    await session.release();
  }
}

describe('protobuf codec', () => {
  test('varints round-trip, including values past 32 bits', () => {
    for (const value of [0, 1, 127, 128, 300, 2 ** 31, 2 ** 40 + 5, Number.MAX_SAFE_INTEGER]) {
      assert.equal(readVarint(varint(value)).value, value);
    }
  });

  test('an untouched message is written back byte for byte', () => {
    const model = tinyBrightnessModel(32);
    assert.deepEqual(encodeMessage(decodeMessage(model)), model);
  });

  test('truncated input is an error, not a silent misread', () => {
    const model = tinyBrightnessModel(32);
    assert.throws(() => decodeMessage(model.subarray(0, model.length - 3)), /truncated/);
  });
});

describe('model preparation', () => {
  test('prunes to the chosen output and keeps its results identical', async () => {
    const model = tinyBrightnessModel(8);
    const prepared = prepareModel(model, 1);
    assert.equal(prepared.outputName, 'brightness');
    assert.deepEqual(prepared.changes, ['kept output "brightness" of 2']);
    assert.ok(prepared.bytes.length < model.length);
    const session = await ort.InferenceSession.create(prepared.bytes);
    assert.deepEqual(session.outputNames, ['brightness']);
    await session.release();
    const input = Float32Array.from({ length: 3 * 64 }, (_, i) => i / 10);
    assert.deepEqual(
      await run(prepared.bytes, input, [1, 3, 8, 8], 'brightness'),
      await run(model, input, [1, 3, 8, 8], 'brightness'),
    );
  });

  test('a model with one output and no fp16 is returned as it is', () => {
    const model = prepareModel(tinyBrightnessModel(8), 1).bytes;
    const again = prepareModel(model, 0);
    assert.equal(again.bytes, model);
    assert.deepEqual(again.changes, []);
  });

  test('converts fp16 weights to fp32 and the results stay the same', async () => {
    // 0.5, -2, 65504 (the largest half) and 2^-24 (the smallest subnormal half).
    const model = tinyHalfModel([0x3800, 0xc000, 0x7bff, 0x0001]);
    const prepared = prepareModel(model, 0);
    assert.deepEqual(prepared.changes, ['converted fp16 weights to fp32']);
    const input = Float32Array.from([1, 1, 1, 0]);
    const expected = [1.5, -1, 65505, 2 ** -24];
    const converted = await run(prepared.bytes, input, [1, 4], 'sum');
    assert.deepEqual([...converted], expected);
    const original = await run(model, input, [1, 4], 'sum');
    assert.deepEqual([...original].slice(0, 2), [1.5, -1], 'the fp16 original computes in half precision');
  });

  test('an output index past the last output is refused', () => {
    assert.throws(() => prepareModel(tinyBrightnessModel(8), 5), /output #5 does not exist/);
  });
});
