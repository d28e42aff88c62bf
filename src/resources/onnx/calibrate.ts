import * as ort from 'onnxruntime-node';
import { DataType, newNode, OnnxEdit } from './onnx-edit.js';

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

/** How `activationPercentiles` samples and clips. */
export interface PercentileOptions {
  /** Fraction of each tensor's values inside its range (0.9999: the top and bottom 0.01% are clipped). */
  percentile: number;
  /** Every `stride`-th row and column of each (N, C, H, W) tensor is read, to bound the memory and the sort. */
  stride: number;
}

/**
 * Activation ranges that clip each tensor's rare extremes instead of covering them: the `percentile`
 * quantile of its values (and 1 - `percentile` for the low end, or 0 for a tensor never negative) over
 * all calibration inputs. For networks whose activations are heavy-tailed (ISNet: medians below 1,
 * maxima in the hundreds), min-max ranges leave most values in one or two uint8 steps; clipping a
 * hundredth of a percent keeps 255 steps for the values that carry the picture
 * (bench/bg/NOTES.md#static-int8-isnet). The values are read through extra graph outputs, a strided
 * Slice of each tensor, so one run per input fetches a sixteenth (stride 4) of every activation.
 *
 * @example const ranges = await activationPercentiles(model, tensors, inputs, options, { percentile: 0.9999, stride: 4 });
 */
export async function activationPercentiles(
  model: Uint8Array,
  tensors: readonly string[],
  inputs: readonly CalibrationInput[],
  options: ort.InferenceSession.SessionOptions,
  { percentile, stride }: PercentileOptions,
): Promise<Map<string, Range>> {
  if (inputs.length === 0) throw new Error('calibration needs at least one input');
  const edit = new OnnxEdit(model);
  const inputName = edit.inputName();
  const int64 = (values: number[]) => new Uint8Array(BigInt64Array.from(values.map(BigInt)).buffer);
  const starts = edit.addInitializer('calibrate_starts', DataType.int64, [2], int64([0, 0]));
  const ends = edit.addInitializer('calibrate_ends', DataType.int64, [2], int64([2 ** 40, 2 ** 40]));
  const axes = edit.addInitializer('calibrate_axes', DataType.int64, [2], int64([2, 3]));
  const steps = edit.addInitializer('calibrate_steps', DataType.int64, [2], int64([stride, stride]));
  const names = tensors.map((tensor, i) => ({ tensor, sample: `calibrate_sample_${i}` }));
  for (const { tensor, sample } of names) {
    edit.nodes.push(newNode('Slice', sample, [tensor, starts, ends, axes, steps], [sample]));
    edit.addFloatOutput(sample);
  }
  const session = await ort.InferenceSession.create(edit.build(), options);
  const samples = names.map((): Float32Array[] => []);
  try {
    for (const input of inputs) {
      const results = await session.run(
        { [inputName]: new ort.Tensor('float32', input.data, input.dims) },
        names.map((n) => n.sample),
      );
      for (const [i, { sample }] of names.entries()) samples[i].push((results[sample].data as Float32Array).slice());
    }
  } finally {
    await session.release();
  }
  const ranges = new Map<string, Range>();
  names.forEach(({ tensor }, i) => {
    const all = new Float32Array(samples[i].reduce((n, s) => n + s.length, 0));
    let offset = 0;
    for (const s of samples[i]) {
      all.set(s, offset);
      offset += s.length;
    }
    samples[i] = [];
    all.sort();
    const at = (q: number) => all[Math.round(q * (all.length - 1))];
    ranges.set(tensor, { min: all[0] >= 0 ? 0 : at(1 - percentile), max: at(percentile) });
  });
  return ranges;
}
