import type { Range } from './calibrate.js';
import type { Int8WeightKind } from './int8-weights.js';
import { DataType, type EditNode, newNode, OnnxEdit } from './onnx-edit.js';

/**
 * Static int8 quantization of a model's convolutions in ONNX's QDQ form, which ONNX Runtime's CPU
 * provider fuses into integer kernels (QLinearConv, u8 activations x s8 weights: VNNI dot products on
 * cores that have them):
 *
 *   x -> QuantizeLinear -> DequantizeLinear -> Conv <- DequantizeLinear <- int8 weights (one scale per
 *   output channel) <- int32 bias;  Conv -> QuantizeLinear -> DequantizeLinear -> every consumer
 *
 * Activations are uint8 with a scale and zero point from their calibrated range; weights are symmetric
 * int8 per output channel; the bias is int32 at (input scale x weight scale), as the integer kernel adds
 * it. A ReLU right after a convolution is dropped: the output's range starts at 0, so quantizing with
 * zero point 0 clamps negatives exactly as the ReLU did. Everything else (concatenations, resizes, adds,
 * activations) stays in float between a DequantizeLinear and the next QuantizeLinear.
 * Convolutions listed in `keepFloat` (by their index among the model's convolutions) are left alone:
 * the layers whose error shows most in the output (measured per network, see the bench notes).
 */

export interface QuantizeOptions {
  /** Indexes (in model order, from 0) of convolutions to leave in float. */
  keepFloat?: ReadonlySet<number>;
  /**
   * Bias correction: per quantized convolution's output tensor, the mean error per channel its int8
   * version showed (int8 mean - float mean, measured by `channelMeans`), subtracted from its bias.
   */
  biasShift?: ReadonlyMap<string, Float64Array>;
  /**
   * 's8' (the default): int8 weights, zero point 0. 'u8': the same values stored as uint8 around a zero
   * point of 128, for CPUs whose u8 x s8 kernel saturates (int8-weights.ts).
   */
  weights?: Int8WeightKind;
}

/** The quantizable convolutions: index among all convolutions, the tensor read and the (ReLU'd) tensor written. */
export function convolutionTensors(model: Uint8Array): Array<{ index: number; input: string; output: string }> {
  return convolutions(new OnnxEdit(model)).map((c) => ({ index: c.index, input: c.node.inputs[0], output: c.output }));
}

/** The tensors whose ranges `quantizeConvolutions` needs: every convolution's input and its (ReLU'd) output. */
export function tensorsToCalibrate(model: Uint8Array): string[] {
  return [...new Set(convolutionTensors(model).flatMap((c) => [c.input, c.output]))];
}

interface Convolution {
  node: EditNode;
  index: number;
  /** The ReLU that follows it alone, dropped when the convolution is quantized. */
  relu?: EditNode;
  /** The tensor the rest of the graph reads: the ReLU's output, or the convolution's. */
  output: string;
}

function convolutions(edit: OnnxEdit): Convolution[] {
  const consumers = new Map<string, EditNode[]>();
  for (const node of edit.nodes) for (const input of node.inputs) consumers.set(input, [...(consumers.get(input) ?? []), node]);
  const graphOutputs = new Set(edit.outputNames());
  const out: Convolution[] = [];
  let index = 0;
  for (const node of edit.nodes) {
    if (node.opType !== 'Conv') continue;
    const i = index++;
    if (!edit.floatInitializer(node.inputs[1])) continue;
    const readers = consumers.get(node.outputs[0]) ?? [];
    const relu =
      readers.length === 1 && readers[0].opType === 'Relu' && !graphOutputs.has(node.outputs[0]) ? readers[0] : undefined;
    const output = relu ? relu.outputs[0] : node.outputs[0];
    // A graph output must stay float and un-rounded: such a convolution is left as it is.
    if (graphOutputs.has(output)) continue;
    out.push({ node, index: i, relu, output });
  }
  return out;
}

/** uint8 scale and zero point covering `range` (widened to include 0, as the integer kernels need). */
export function activationParams(range: Range): { scale: number; zeroPoint: number } {
  const lo = Math.min(0, range.min);
  const hi = Math.max(0, range.max, lo + 1e-6);
  const scale = (hi - lo) / 255;
  return { scale, zeroPoint: Math.min(255, Math.max(0, Math.round(-lo / scale))) };
}

/**
 * @returns the quantized model and how many convolutions were quantized and left in float
 * @example const { bytes } = quantizeConvolutions(model, await activationRanges(model, tensorsToCalibrate(model), inputs, opts));
 */
export function quantizeConvolutions(
  model: Uint8Array,
  ranges: ReadonlyMap<string, Range>,
  options: QuantizeOptions = {},
): { bytes: Uint8Array; quantized: number; float: number } {
  const edit = new OnnxEdit(model);
  const all = convolutions(edit);
  const chosen = all.filter((c) => !options.keepFloat?.has(c.index));
  const before = new Map<EditNode, EditNode[]>();
  const after = new Map<EditNode, EditNode[]>();
  const dropped = new Set<EditNode>();
  const dequantized = new Map<string, string>();
  const scales = new Map<string, number>();

  const pair = (tensor: string, quantizedName: string, out: string, tag: string, nodes: EditNode[]) => {
    const range = ranges.get(tensor);
    if (!range) throw new Error(`no calibrated range for ${tensor}`);
    const { scale, zeroPoint } = activationParams(range);
    const s = edit.addInitializer(`${tag}_scale`, DataType.float, [], floatBytes([scale]));
    const z = edit.addInitializer(`${tag}_zero`, DataType.uint8, [], Uint8Array.of(zeroPoint));
    nodes.push(newNode('QuantizeLinear', `${tag}_q`, [quantizedName, s, z], [`${tag}_u8`]));
    nodes.push(newNode('DequantizeLinear', `${tag}_dq`, [`${tag}_u8`, s, z], [out]));
    scales.set(out, scale);
  };

  for (const conv of chosen) {
    const { node } = conv;
    const bias = node.inputs[2] ? edit.floatInitializer(node.inputs[2]) : undefined;
    if (node.inputs[2] && !bias) continue;
    const pre: EditNode[] = [];
    const tag = `int8_conv${conv.index}`;
    const x = node.inputs[0];
    // The input: a tensor another quantized convolution already wrote through Q/DQ is read as it is.
    if (!scales.has(x) && !dequantized.has(x)) {
      pair(x, x, `${x}__dq`, `${tag}_x`, pre);
      dequantized.set(x, `${x}__dq`);
    }
    const xName = dequantized.get(x) ?? x;
    const xScale = scales.get(xName)!;
    const weight = edit.floatInitializer(node.inputs[1])!;
    const channels = weight.dims[0];
    const { values, scales: wScales } = perChannelInt8(weight.data, channels);
    const unsigned = options.weights === 'u8';
    const wType = unsigned ? DataType.uint8 : DataType.int8;
    const wBytes = unsigned ? Uint8Array.from(values, (v) => v + 128) : new Uint8Array(values.buffer);
    const w = edit.addInitializer(`${tag}_w`, wType, weight.dims, wBytes);
    const ws = edit.addInitializer(`${tag}_w_scale`, DataType.float, [channels], floatBytes(wScales));
    const zero = new Uint8Array(channels).fill(unsigned ? 128 : 0);
    const wz = edit.addInitializer(`${tag}_w_zero`, wType, [channels], zero);
    pre.push(newNode('DequantizeLinear', `${tag}_w_dq`, [w, ws, wz], [`${tag}_w_f`], { axis: 0 }));
    const inputs = [xName, `${tag}_w_f`];
    if (bias) {
      const biasScales = wScales.map((s) => s * xScale);
      const shift = options.biasShift?.get(conv.output);
      if (shift) for (let c = 0; c < channels; c++) bias.data[c] -= shift[c] ?? 0;
      const q = Int32Array.from(bias.data, (b, i) => Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, Math.round(b / biasScales[i]))));
      const b = edit.addInitializer(`${tag}_b`, DataType.int32, [channels], new Uint8Array(q.buffer));
      const bs = edit.addInitializer(`${tag}_b_scale`, DataType.float, [channels], floatBytes(biasScales));
      pre.push(newNode('DequantizeLinear', `${tag}_b_dq`, [b, bs], [`${tag}_b_f`], { axis: 0 }));
      inputs.push(`${tag}_b_f`);
    }
    node.inputs = inputs;
    // The output: the convolution writes a float tensor that only its QuantizeLinear reads.
    const post: EditNode[] = [];
    const raw = `${tag}_y`;
    node.outputs = [raw];
    if (conv.relu) dropped.add(conv.relu);
    pair(conv.output, raw, conv.output, `${tag}_y`, post);
    before.set(node, pre);
    after.set(node, post);
  }
  const ordered: EditNode[] = [];
  for (const node of edit.nodes) {
    if (dropped.has(node)) continue;
    ordered.push(...(before.get(node) ?? []), node, ...(after.get(node) ?? []));
  }
  edit.nodes.splice(0, edit.nodes.length, ...ordered);
  return { bytes: edit.build(), quantized: before.size, float: all.length - before.size };
}

/** Symmetric int8 per output channel (-127..127), and each channel's scale. */
function perChannelInt8(data: Float32Array, channels: number): { values: Int8Array; scales: Float32Array } {
  const per = data.length / channels;
  const values = new Int8Array(data.length);
  const scales = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    let peak = 0;
    for (let i = c * per; i < (c + 1) * per; i++) peak = Math.max(peak, Math.abs(data[i]));
    const scale = peak > 0 ? peak / 127 : 1;
    scales[c] = scale;
    for (let i = c * per; i < (c + 1) * per; i++) values[i] = Math.round(data[i] / scale);
  }
  return { values, scales };
}

function floatBytes(values: ArrayLike<number>): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer);
}
