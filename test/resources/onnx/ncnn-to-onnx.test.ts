import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { halfToFloat, ncnnToOnnx } from '../../../src/resources/onnx/ncnn-to-onnx.js';

/**
 * A tiny ncnn model written by hand with every layer kind Real-ESRGAN's export uses (a 1x1 convolution
 * with float16 weights, PReLU, PixelShuffle, nearest Interp, BinaryOp add, Split), run through the
 * converter and ONNX Runtime, against the same arithmetic written out in plain loops.
 */
const PARAM = `7767517
7 8
Input            in     0 1 data
Split            split  1 2 data d0 d1
Convolution      conv   1 1 d1 c 0=12 1=1 5=1 6=36
PReLU            prelu  1 1 c p 0=12
PixelShuffle     ps     1 1 p s 0=2
Interp           up     1 1 d0 u 0=1 1=2.000000e+00 2=2.000000e+00
BinaryOp         add    2 1 s u out 0=0
`;

/** Float16 bits of values that are exact in half precision (multiples of 1/8 below 8). */
function half(value: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, value, true);
  const bits = view.getUint32(0, true);
  const exponent = ((bits >> 23) & 0xff) - 127 + 15;
  if (value === 0) return 0;
  return ((bits >>> 16) & 0x8000) | (exponent << 10) | ((bits >> 13) & 0x3ff);
}

const weights = Array.from({ length: 36 }, (_, i) => ((i * 5) % 17) / 8 - 1);
const bias = Array.from({ length: 12 }, (_, i) => (i % 5) / 4 - 0.5);
const slopes = Array.from({ length: 12 }, (_, i) => 0.1 * (i + 1));

function binFile(): Uint8Array {
  const bytes = new Uint8Array(4 + 72 + 48 + 48);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0x01306b47, true);
  for (const [i, w] of weights.entries()) view.setUint16(4 + i * 2, half(w), true);
  for (const [i, b] of bias.entries()) view.setFloat32(76 + i * 4, b, true);
  for (const [i, s] of slopes.entries()) view.setFloat32(124 + i * 4, s, true);
  return bytes;
}

describe('ncnn to ONNX', () => {
  test('half precision decoding', () => {
    assert.equal(halfToFloat(0x3c00), 1);
    assert.equal(halfToFloat(0xc000), -2);
    assert.equal(halfToFloat(0x3555), 0.333251953125);
    assert.equal(halfToFloat(0x0001), 2 ** -24);
  });

  test('every layer kind Real-ESRGAN uses gives the same numbers as plain arithmetic', async () => {
    const session = await ort.InferenceSession.create(ncnnToOnnx(PARAM, binFile()));
    const [H, W] = [3, 4];
    const input = Float32Array.from({ length: 3 * H * W }, (_, i) => ((i * 7) % 11) / 10);
    const result = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input, [1, 3, H, W]) });
    const out = result[session.outputNames[0]];
    assert.deepEqual(out.dims, [1, 3, H * 2, W * 2]);
    const data = out.data as Float32Array;
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const pixel = [0, 1, 2].map((c) => input[c * H * W + y * W + x]);
        const p = Array.from({ length: 12 }, (_, o) => {
          const v = bias[o] + pixel.reduce((sum, value, c) => sum + weights[o * 3 + c] * value, 0);
          return v > 0 ? v : v * slopes[o];
        });
        for (let c = 0; c < 3; c++)
          for (let i = 0; i < 2; i++)
            for (let j = 0; j < 2; j++) {
              const expected = p[c * 4 + i * 2 + j] + pixel[c];
              const actual = data[c * H * W * 4 + (y * 2 + i) * W * 2 + x * 2 + j];
              assert.ok(
                Math.abs(actual - expected) < 1e-5,
                `channel ${c} at ${x * 2 + j},${y * 2 + i}: ${actual} vs ${expected}`,
              );
            }
      }
  });

  test('refuses layers and weights it does not know, and mismatched files', () => {
    assert.throws(
      () => ncnnToOnnx(PARAM.replace('PReLU            prelu', 'Sigmoid          prelu'), binFile()),
      /Sigmoid is not supported/,
    );
    assert.throws(() => ncnnToOnnx(PARAM, binFile().subarray(0, 100)), /too short/);
    assert.throws(() => ncnnToOnnx(PARAM, new Uint8Array([...binFile(), 0, 0, 0, 0])), /left over/);
    assert.throws(() => ncnnToOnnx('123\n', binFile()), /not an ncnn param file/);
  });
});
