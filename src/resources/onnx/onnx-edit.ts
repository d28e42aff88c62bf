import { bytesField, decodeMessage, encodeMessage, intField, intValue, text, Wire, type Field } from './onnx-protobuf.js';

/**
 * An ONNX model opened for editing at the level the quantizer needs: the graph's nodes (op type, inputs,
 * outputs, attributes as raw fields), its float initializers readable as Float32Array, and new nodes,
 * initializers and outputs written back. Fields nobody touches (value_info, metadata, opsets) are kept
 * as they were. Field numbers are onnx.proto's.
 */

const MODEL = { graph: 7 };
const GRAPH = { node: 1, initializer: 5, input: 11, output: 12 };
const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5 };
const ATTRIBUTE = { name: 1, i: 3, ints: 8, type: 20 };
const TENSOR = { dims: 1, dataType: 2, name: 8, rawData: 9 };
const VALUE_INFO = { name: 1, type: 2 };
const TYPE = { tensorType: 1 };
const TENSOR_TYPE = { elemType: 1 };

/** ONNX TensorProto data types used here. */
export const DataType = { float: 1, uint8: 2, int8: 3, int32: 6, int64: 7 } as const;

export interface EditNode {
  opType: string;
  name: string;
  inputs: string[];
  outputs: string[];
  /** Integer attributes by name (what the quantizer reads: `group`); others stay in `fields`. */
  ints: Record<string, number>;
  /** Integer-list attributes of nodes made here (ReduceMean's `axes`). */
  lists?: Record<string, number[]>;
  /** The node as read, for writing back unchanged; undefined for nodes made here. */
  fields?: Field[];
}

export interface FloatTensor {
  dims: number[];
  data: Float32Array;
}

const utf8 = (value: string) => new TextEncoder().encode(value);

/** A model's graph as editable lists; `build` writes the model back with every change. */
export class OnnxEdit {
  readonly nodes: EditNode[];
  private readonly modelFields: Field[];
  private readonly graphFields: Field[];
  private readonly initializerFields = new Map<string, Field[]>();
  private readonly added: Field[] = [];

  constructor(model: Uint8Array) {
    this.modelFields = decodeMessage(model);
    const graph = this.modelFields.find((f) => f.num === MODEL.graph);
    if (!graph) throw new Error('not an ONNX model: no graph');
    this.graphFields = decodeMessage(graph.data);
    this.nodes = this.graphFields.filter((f) => f.num === GRAPH.node).map((f) => readNode(decodeMessage(f.data)));
    for (const f of this.graphFields.filter((g) => g.num === GRAPH.initializer)) {
      const tensor = decodeMessage(f.data);
      const name = tensor.find((t) => t.num === TENSOR.name);
      if (name) this.initializerFields.set(text(name), tensor);
    }
  }

  /** The graph's output names, in order. */
  outputNames(): string[] {
    return this.graphFields.filter((f) => f.num === GRAPH.output).map((f) => nameOf(decodeMessage(f.data)));
  }

  /** The graph's first input's name. */
  inputName(): string {
    const input = this.graphFields.find(
      (f) => f.num === GRAPH.input && !this.initializerFields.has(nameOf(decodeMessage(f.data))),
    );
    if (!input) throw new Error('the model has no input');
    return nameOf(decodeMessage(input.data));
  }

  /** A float initializer stored as raw data, or undefined (not an initializer, another type, or typed fields). */
  floatInitializer(name: string): FloatTensor | undefined {
    const tensor = this.initializerFields.get(name);
    if (!tensor) return undefined;
    const type = tensor.find((f) => f.num === TENSOR.dataType);
    const raw = tensor.find((f) => f.num === TENSOR.rawData);
    if (!type || intValue(type) !== DataType.float || !raw) return undefined;
    const dims = tensor.filter((f) => f.num === TENSOR.dims).map(intValue);
    const copy = raw.data.slice();
    return { dims, data: new Float32Array(copy.buffer, 0, copy.byteLength / 4) };
  }

  /** Adds an initializer of `type` whose values are already encoded little-endian in `raw`. */
  addInitializer(name: string, type: number, dims: number[], raw: Uint8Array): string {
    const tensor = [
      ...dims.map((d) => intField(TENSOR.dims, d)),
      intField(TENSOR.dataType, type),
      bytesField(TENSOR.name, utf8(name)),
      bytesField(TENSOR.rawData, raw),
    ];
    this.added.push(bytesField(GRAPH.initializer, encodeMessage(tensor)));
    return name;
  }

  /** Declares `name` as an extra float graph output (shape left to the runtime). */
  addFloatOutput(name: string): void {
    const tensorType = [intField(TENSOR_TYPE.elemType, DataType.float)];
    const type = [bytesField(TYPE.tensorType, encodeMessage(tensorType))];
    const info = [bytesField(VALUE_INFO.name, utf8(name)), bytesField(VALUE_INFO.type, encodeMessage(type))];
    this.added.push(bytesField(GRAPH.output, encodeMessage(info)));
  }

  /** The model with `nodes` (in their current order), the original initializers still used, and the additions. */
  build(): Uint8Array {
    const used = new Set(this.nodes.flatMap((n) => n.inputs));
    const graph: Field[] = [];
    for (const f of this.graphFields) {
      if (f.num === GRAPH.node) continue;
      if (f.num === GRAPH.initializer && !used.has(nameOf(decodeMessage(f.data), TENSOR.name))) continue;
      graph.push(f);
    }
    const nodes = this.nodes.map((n) => bytesField(GRAPH.node, encodeMessage(writeNode(n))));
    const rebuilt = encodeMessage([...nodes, ...graph, ...this.added]);
    return encodeMessage(this.modelFields.map((f) => (f.num === MODEL.graph ? bytesField(MODEL.graph, rebuilt) : f)));
  }
}

/** A node made here: integer attributes only (all that QuantizeLinear, DequantizeLinear and the reductions need). */
export function newNode(
  opType: string,
  name: string,
  inputs: string[],
  outputs: string[],
  ints: Record<string, number> = {},
  lists: Record<string, number[]> = {},
): EditNode {
  return { opType, name, inputs, outputs, ints, lists };
}

function nameOf(fields: Field[], num = VALUE_INFO.name): string {
  const name = fields.find((f) => f.num === num);
  return name ? text(name) : '';
}

function readNode(fields: Field[]): EditNode {
  const ints: Record<string, number> = {};
  for (const f of fields.filter((x) => x.num === NODE.attribute)) {
    const attribute = decodeMessage(f.data);
    const value = attribute.find((a) => a.num === ATTRIBUTE.i && a.wire === Wire.Varint);
    if (value) ints[nameOf(attribute, ATTRIBUTE.name)] = intValue(value);
  }
  return {
    opType: nameOf(fields, NODE.opType),
    name: nameOf(fields, NODE.name),
    inputs: fields.filter((f) => f.num === NODE.input).map(text),
    outputs: fields.filter((f) => f.num === NODE.output).map(text),
    ints,
    fields,
  };
}

/** A read node with its inputs and outputs as they are now (the quantizer renames them); attributes kept. */
function writeNode(node: EditNode): Field[] {
  const io = [
    ...node.inputs.map((i) => bytesField(NODE.input, utf8(i))),
    ...node.outputs.map((o) => bytesField(NODE.output, utf8(o))),
  ];
  if (node.fields) return [...io, ...node.fields.filter((f) => f.num !== NODE.input && f.num !== NODE.output)];
  const attributes = Object.entries(node.ints).map(([key, value]) =>
    bytesField(
      NODE.attribute,
      encodeMessage([bytesField(ATTRIBUTE.name, utf8(key)), intField(ATTRIBUTE.i, value), intField(ATTRIBUTE.type, 2)]),
    ),
  );
  const lists = Object.entries(node.lists ?? {}).map(([key, values]) =>
    bytesField(
      NODE.attribute,
      encodeMessage([
        bytesField(ATTRIBUTE.name, utf8(key)),
        ...values.map((v) => intField(ATTRIBUTE.ints, v)),
        intField(ATTRIBUTE.type, 7),
      ]),
    ),
  );
  return [...io, bytesField(NODE.name, utf8(node.name)), bytesField(NODE.opType, utf8(node.opType)), ...attributes, ...lists];
}
