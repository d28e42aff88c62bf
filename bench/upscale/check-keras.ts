/**
 * Checks the Keras-to-ONNX conversion against TF.js itself (CPU backend): the same random input through
 * both, largest absolute difference printed. `node --import tsx bench/upscale/check-keras.ts [scale] [package]`
 * e.g. `4 esrgan-thick`. Results in bench/upscale/NOTES.md#tiling-and-conversion-checks.
 */
import { largestDifferenceFromTfjs } from '../../test/resources/super-resolution/tfjs-reference.js';

const scale = Number(process.argv[2] ?? 4);
const pkg = process.argv[3] ?? 'esrgan-thick';
const [H, W] = [24, 20];
const hwc = new Float32Array(H * W * 3).map(() => Math.random());
const { largest } = await largestDifferenceFromTfjs(`@upscalerjs/${pkg}`, scale, hwc, H, W);
console.log(`${pkg} x${scale}: largest difference between ONNX Runtime and TF.js: ${largest.toExponential(2)}`);
