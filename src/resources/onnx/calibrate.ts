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
