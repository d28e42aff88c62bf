import * as ort from 'onnxruntime-node';
import { newNode, OnnxEdit } from './onnx-edit.js';

/** The range of values one tensor took over the calibration inputs. */
export interface Range {
  min: number;
  max: number;
}

/** One calibration input: a float tensor for the model's first input. */
export interface CalibrationInput {
  data: Float32Array;
  dims: number[];
}

/**
 * Activation ranges measured by running the float model on real inputs. Instead of fetching every
 * intermediate tensor (ISNet's at 1024 x 1024 are up to 256 MB each), the model is given a ReduceMin and
 * a ReduceMax of each tensor as extra scalar outputs, so one run per input costs one inference plus a
 * pass over each tensor. Ranges are the extremes over all inputs (min-max calibration).
 *
 * @example const ranges = await activationRanges(floatModel, ['x', 'conv1_out'], inputs, { intraOpNumThreads: 2 });
 */
export async function activationRanges(
  model: Uint8Array,
  tensors: readonly string[],
  inputs: readonly CalibrationInput[],
  options: ort.InferenceSession.SessionOptions,
): Promise<Map<string, Range>> {
  if (inputs.length === 0) throw new Error('calibration needs at least one input');
  const edit = new OnnxEdit(model);
  const inputName = edit.inputName();
  const names = tensors.map((t, i) => ({ tensor: t, min: `calibrate_min_${i}`, max: `calibrate_max_${i}` }));
  for (const { tensor, min, max } of names) {
    edit.nodes.push(newNode('ReduceMin', min, [tensor], [min], { keepdims: 0 }));
    edit.nodes.push(newNode('ReduceMax', max, [tensor], [max], { keepdims: 0 }));
    edit.addFloatOutput(min);
    edit.addFloatOutput(max);
  }
  const session = await ort.InferenceSession.create(edit.build(), options);
  const ranges = new Map<string, Range>();
  try {
    const fetches = names.flatMap((n) => [n.min, n.max]);
    for (const input of inputs) {
      const results = await session.run({ [inputName]: new ort.Tensor('float32', input.data, input.dims) }, fetches);
      for (const { tensor, min, max } of names) {
        const lo = (results[min].data as Float32Array)[0];
        const hi = (results[max].data as Float32Array)[0];
        const seen = ranges.get(tensor);
        ranges.set(tensor, seen ? { min: Math.min(seen.min, lo), max: Math.max(seen.max, hi) } : { min: lo, max: hi });
      }
    }
  } finally {
    await session.release();
  }
  return ranges;
}

/**
 * Each tensor's mean per channel (axis 1) over the calibration inputs, through in-graph ReduceMean
 * outputs: what bias correction compares between the float model and its int8 version.
 */
export async function channelMeans(
  model: Uint8Array,
  tensors: readonly string[],
  inputs: readonly CalibrationInput[],
  options: ort.InferenceSession.SessionOptions,
): Promise<Map<string, Float64Array>> {
  const edit = new OnnxEdit(model);
  const inputName = edit.inputName();
  const names = tensors.map((t, i) => ({ tensor: t, mean: `calibrate_mean_${i}` }));
  for (const { tensor, mean } of names) {
    edit.nodes.push(newNode('ReduceMean', mean, [tensor], [mean], { keepdims: 0 }, { axes: [0, 2, 3] }));
    edit.addFloatOutput(mean);
  }
  const session = await ort.InferenceSession.create(edit.build(), options);
  const sums = new Map<string, Float64Array>();
  try {
    for (const input of inputs) {
      const results = await session.run(
        { [inputName]: new ort.Tensor('float32', input.data, input.dims) },
        names.map((n) => n.mean),
      );
      for (const { tensor, mean } of names) {
        const values = results[mean].data as Float32Array;
        const sum = sums.get(tensor) ?? new Float64Array(values.length);
        for (let c = 0; c < values.length; c++) sum[c] += values[c] / inputs.length;
        sums.set(tensor, sum);
      }
    }
  } finally {
    await session.release();
  }
  return sums;
}
