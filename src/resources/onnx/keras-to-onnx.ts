import { OnnxGraph } from './onnx-graph.js';

/**
 * Converts a TensorFlow.js layers model (Keras functional topology in `model.json` plus float32 weight
 * shards) into an ONNX graph, for the RRDN/RDN super-resolution models of `@upscalerjs/esrgan-*`.
 * Only the layer kinds those models use are known; anything else is refused with its name, so a new package
 * version with other layers fails at load instead of running a wrong graph.
 *
 * Layout: Keras is channels-last (NHWC), the ONNX graph is NCHW. Conv kernels [kh, kw, in, out] become
 * [out, in, kh, kw]; `Concatenate(axis: 3)` becomes `Concat(axis: 1)`; the models' `PixelShuffle` layer is
 * `tf.depthToSpace(x, s, 'NHWC')`, which is ONNX `DepthToSpace` in DCR mode on NCHW.
 */

interface KerasLayer {
  class_name: string;
  config: Record<string, unknown> & { name: string };
  inbound_nodes: Array<Array<[string, number, number, unknown]>>;
}

export interface LayersModelJson {
  format?: string;
  modelTopology: {
    model_config: { class_name: string; config: { layers: KerasLayer[]; input_layers: unknown[][]; output_layers: unknown[][] } };
  };
  weightsManifest: Array<{ paths: string[]; weights: Array<{ name: string; shape: number[]; dtype: string }> }>;
}

/** The ESRGAN packages' custom layers: a constant residual scale and a sub-pixel shuffle. */
const MULTIPLY_BETA = 0.2;

/**
 * @param json the parsed `model.json`
 * @param shards each weight group's shard files, in the manifest's order, already read
 * @returns the ONNX model: one input [1, 3, h, w] in 0..1, one output [1, 3, h*s, w*s] (not clamped)
 */
export function kerasToOnnx(json: LayersModelJson, shards: Uint8Array[][]): Uint8Array {
  if (json.modelTopology?.model_config?.class_name !== 'Functional' && json.modelTopology?.model_config?.class_name !== 'Model') {
    throw new Error('not a Keras functional layers model');
  }
  const weights = readWeights(json, shards);
  const { layers, input_layers, output_layers } = json.modelTopology.model_config.config;
  const graph = new OnnxGraph('keras-super-resolution');
  let inputName = '';
  const sources = (layer: KerasLayer) => (layer.inbound_nodes[0] ?? []).map((entry) => entry[0]);
  for (const layer of layers) {
    const name = layer.config.name;
    const from = sources(layer);
    switch (layer.class_name) {
      case 'InputLayer':
        inputName = name;
        break;
      case 'Conv2D':
        convolution(graph, layer, from[0], weights);
        break;
      case 'Activation':
        if (layer.config.activation !== 'relu')
          throw new Error(`${name}: activation ${String(layer.config.activation)} is not supported`);
        graph.node('Relu', from, [name]);
        break;
      case 'Concatenate': {
        const axis = layer.config.axis;
        if (axis !== 3 && axis !== -1) throw new Error(`${name}: concatenation on axis ${String(axis)} is not supported`);
        graph.node('Concat', from, [name], { axis: 1 });
        break;
      }
      case 'Add':
        sum(graph, name, from);
        break;
      case 'UpSampling2D': {
        const size = layer.config.size as number[];
        if (layer.config.interpolation !== 'nearest' || size?.length !== 2)
          throw new Error(`${name}: only nearest up-sampling is supported`);
        const scales = graph.initializer(`${name}/scales`, [4], Float32Array.of(1, 1, size[0], size[1]));
        // Keras repeats each pixel: nearest with asymmetric coordinates and floor rounding is exactly that.
        graph.node('Resize', [from[0], '', scales], [name], {
          mode: 'nearest',
          coordinate_transformation_mode: 'asymmetric',
          nearest_mode: 'floor',
        });
        break;
      }
      case 'MultiplyBeta':
        graph.node('Mul', [from[0], graph.initializer(`${name}/beta`, [], Float32Array.of(MULTIPLY_BETA))], [name]);
        break;
      default: {
        const shuffle = /^PixelShuffle(\d)x$/.exec(layer.class_name);
        if (!shuffle) throw new Error(`${name}: layer ${layer.class_name} is not supported`);
        graph.node('DepthToSpace', from, [name], { blocksize: Number(shuffle[1]), mode: 'DCR' });
      }
    }
  }
  const outputName = String(output_layers[0]?.[0]);
  if (!inputName || input_layers.length !== 1 || output_layers.length !== 1) throw new Error('expected one input and one output');
  return graph.build(
    { name: inputName, dims: [1, 3, 'height', 'width'] },
    { name: outputName, dims: [1, 3, 'out_height', 'out_width'] },
  );
}

function convolution(
  graph: OnnxGraph,
  layer: KerasLayer,
  from: string,
  weights: Map<string, { shape: number[]; data: Float32Array }>,
): void {
  const { name, padding, strides, dilation_rate, groups, activation, use_bias, data_format } = layer.config as Record<
    string,
    unknown
  > & { name: string };
  const same = (v: unknown, expected: unknown) => JSON.stringify(v) === JSON.stringify(expected);
  if (
    (padding !== 'same' && padding !== 'valid') ||
    !same(strides, [1, 1]) ||
    !same(dilation_rate, [1, 1]) ||
    (groups ?? 1) !== 1 ||
    data_format !== 'channels_last'
  ) {
    throw new Error(`${name}: only stride-1, undilated, ungrouped channels-last convolutions are supported`);
  }
  const kernel = weights.get(`${name}/kernel`);
  if (kernel?.shape.length !== 4) throw new Error(`${name}: kernel weights missing`);
  const [kh, kw, cin, cout] = kernel.shape;
  if (kh % 2 === 0 || kw % 2 === 0) throw new Error(`${name}: even kernel sizes are not supported`);
  const transposed = new Float32Array(kernel.data.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < cin; i++)
        for (let o = 0; o < cout; o++)
          transposed[((o * cin + i) * kh + y) * kw + x] = kernel.data[((y * kw + x) * cin + i) * cout + o];
  const inputs = [from, graph.initializer(`${name}/W`, [cout, cin, kh, kw], transposed)];
  if (use_bias) {
    const bias = weights.get(`${name}/bias`);
    if (!bias || bias.data.length !== cout) throw new Error(`${name}: bias weights missing`);
    inputs.push(graph.initializer(`${name}/B`, [cout], bias.data));
  }
  // 'same' with odd kernels pads (k - 1) / 2 on each side; 'valid' pads nothing (the models use it for 1x1).
  const pads = padding === 'valid' ? [0, 0, 0, 0] : [(kh - 1) / 2, (kw - 1) / 2, (kh - 1) / 2, (kw - 1) / 2];
  const convOut = activation === 'linear' ? name : `${name}/linear`;
  graph.node('Conv', inputs, [convOut], { kernel_shape: [kh, kw], pads, strides: [1, 1] });
  if (activation === 'relu') graph.node('Relu', [convOut], [name]);
  else if (activation !== 'linear') throw new Error(`${name}: activation ${String(activation)} is not supported`);
}

function sum(graph: OnnxGraph, name: string, from: string[]): void {
  if (from.length < 2) throw new Error(`${name}: Add needs two inputs`);
  graph.node('Sum', from, [name]);
}

/** Splits each group's concatenated shards into named float32 tensors, in manifest order. */
function readWeights(json: LayersModelJson, shards: Uint8Array[][]): Map<string, { shape: number[]; data: Float32Array }> {
  const out = new Map<string, { shape: number[]; data: Float32Array }>();
  json.weightsManifest.forEach((group, index) => {
    const parts = shards[index] ?? [];
    const total = parts.reduce((n, p) => n + p.length, 0);
    const bytes = new Uint8Array(total);
    let offset = 0;
    for (const part of parts) {
      bytes.set(part, offset);
      offset += part.length;
    }
    let at = 0;
    for (const weight of group.weights) {
      if (weight.dtype !== 'float32') throw new Error(`${weight.name}: ${weight.dtype} weights are not supported`);
      const count = weight.shape.reduce((a, b) => a * b, 1);
      if (at + count * 4 > total) throw new Error(`${weight.name}: weight shards are too short`);
      // Copied out (aligned) rather than viewed: shard boundaries need not be 4-byte aligned in memory.
      out.set(weight.name, { shape: weight.shape, data: new Float32Array(bytes.slice(at, at + count * 4).buffer) });
      at += count * 4;
    }
    if (at !== total) throw new Error(`weight group ${index}: ${total - at} bytes left over`);
  });
  return out;
}
