import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { activationPercentiles, type CalibrationInput, type Range } from '../onnx/calibrate.js';
import { calibrationDir, calibrationPhotos } from '../onnx/calibration-photos.js';
import { int8WeightKind } from '../onnx/int8-weights.js';
import { quantizeConvolutions, tensorsToCalibrate } from '../onnx/quantize-convolutions.js';
import { toModelInput } from './preprocess.js';
import type { ModelSpec } from './segmentation-models.js';

/**
 * Static int8 ISNet (the `isnet-int8` built-in): the fp32-prepared ISNet with 86 of its 114 convolutions
 * in QDQ form, which ONNX Runtime runs as integer kernels (u8 x s8, VNNI on these cores).
 *
 * Why this recipe (bench/bg/NOTES.md#static-int8-isnet, measured against the float model on the 7 test
 * photos):
 * - Percentile ranges (99.99%) instead of min-max: ISNet's activations are heavy-tailed (medians below 1,
 *   maxima up to 370), and min-max uint8 steps of about 1.5 erased the picture (IoU down to 0.2). 99.9%
 *   and 99.999% were both worse than 99.99% (baboon IoU 0.60 and 0.46 against 0.79, all layers int8).
 * - Layers kept in float: each block was quantized alone and the masks compared with float's. The last
 *   convolution (side1: it reads values up to 330 that a clipped range flattens) and encoder blocks 1 and
 *   5 moved them most, 3 and 6 less. Kept in float: side1, encoder blocks 5 and 6, and block 1 except its
 *   three convolutions at 512 x 512 (15% of all multiply-adds, harmless in int8). That leaves about 10%
 *   of the multiply-adds in float, with masks as close as when a third was (blocks 1, 3, 5, 6 whole).
 * - No bias correction: it lowered IoU here (fruits 0.974 -> 0.951).
 *
 * The ranges are measured once, by `npm run calibrate:isnet`, on assets/calibration (none of them a test
 * photo), and kept in assets/int8/isnet-ranges.json with the model's digest: calibrating at 1024 x 1024
 * costs four inferences with a sixteenth of every activation fetched and sorted (about 40 s on two
 * cores), too much for every worker start, while quantizing from stored ranges takes about 2 s.
 */
export const ISNET_INT8 = {
  percentile: 0.9999,
  stride: 4,
  /** Convolution indexes (model order, from 0) left in float: block 1's small ones, blocks 5 and 6, side1. */
  keepFloat: [...span(3, 13), ...span(45, 60), 113],
} as const;

/** Bumped when the recipe above or the quantizer changes what the stored ranges mean. */
const RANGES_VERSION = 1;

interface StoredRanges {
  version: number;
  /** SHA-256 of the original model file the ranges were measured on. */
  model: string;
  percentile: number;
  stride: number;
  calibration: string[];
  ranges: Record<string, [number, number]>;
}

function span(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** assets/int8/isnet-ranges.json, found beside assets/calibration (sources and dist/ alike). */
export function isnetRangesPath(): string {
  return join(dirname(calibrationDir()), 'int8', 'isnet-ranges.json');
}

/** The calibration photos as ISNet sees them: stretched to its square input and normalised. */
export async function isnetCalibrationInputs(spec: ModelSpec): Promise<CalibrationInput[]> {
  const side = spec.inputSize;
  return (await calibrationPhotos()).map((photo) => ({
    data: toModelInput({ data: photo.data, width: photo.width, height: photo.height, channels: 3 }, side, spec),
    dims: [1, 3, side, side],
  }));
}

/** Measures the ranges (the float model prepared as the worker prepares it) and returns the file's JSON. */
export async function calibrateIsnet(
  prepared: Uint8Array,
  spec: ModelSpec,
  options: InferenceSession.SessionOptions,
): Promise<string> {
  if (spec.source.kind !== 'package') throw new Error('only the built-in ISNet has a stored int8 recipe');
  const inputs = await isnetCalibrationInputs(spec);
  const measured = await activationPercentiles(prepared, tensorsToCalibrate(prepared), inputs, options, ISNET_INT8);
  const stored: StoredRanges = {
    version: RANGES_VERSION,
    model: spec.source.sha256,
    percentile: ISNET_INT8.percentile,
    stride: ISNET_INT8.stride,
    calibration: (await calibrationPhotos()).map((p) => p.name),
    ranges: Object.fromEntries([...measured].map(([t, r]) => [t, [r.min, r.max]])),
  };
  return `${JSON.stringify(stored, null, 1)}\n`;
}

/**
 * The int8 model from the stored ranges. Throws (the worker reports the model unavailable) when the file
 * is missing or was measured on another model, another recipe or another version of the quantizer.
 */
export function isnetInt8(
  prepared: Uint8Array,
  spec: ModelSpec,
  path = isnetRangesPath(),
): { bytes: Uint8Array; quantized: number; float: number } {
  if (!existsSync(path)) throw new Error(`the int8 ranges are missing (${path}); run npm run calibrate:isnet`);
  const stored = JSON.parse(readFileSync(path, 'utf8')) as StoredRanges;
  const expected = spec.source.kind === 'package' ? spec.source.sha256 : undefined;
  if (
    stored.version !== RANGES_VERSION ||
    stored.model !== expected ||
    stored.percentile !== ISNET_INT8.percentile ||
    stored.stride !== ISNET_INT8.stride
  ) {
    throw new Error(`the int8 ranges in ${path} were measured for another model or recipe; run npm run calibrate:isnet`);
  }
  const ranges = new Map<string, Range>(Object.entries(stored.ranges).map(([t, [min, max]]) => [t, { min, max }]));
  return quantizeConvolutions(prepared, ranges, { keepFloat: new Set(ISNET_INT8.keepFloat), weights: int8WeightKind() });
}
