import {
  bytesField,
  decodeMessage,
  encodeMessage,
  intField,
  intValue,
  readVarint,
  text,
  Wire,
  type Field,
} from './onnx-protobuf.js';

/**
 * Two edits to a segmentation model before its session is created, both measured on ISNet (bench/bg/NOTES.md#model-preparation-at-load):
 * - pruning: only the chosen output is kept, with the nodes it needs. ISNet exports five extra side outputs,
 *   each upsampled to 1024 x 1024 and passed through a sigmoid, that nobody reads.
 * - half to single precision: ONNX Runtime's CPU provider has no fp16 convolution on x86, so it wraps fp16
 *   nodes in casts and layout reorders at run time; converting the weights once at load removes them.
 * Together about 8% less inference time, outputs equal within 5e-4.
 */

// ONNX protobuf field numbers (onnx.proto).
const MODEL = { graph: 7 };
const GRAPH = { node: 1, initializer: 5, input: 11, output: 12, valueInfo: 13 };
const NODE = { input: 1, output: 2, opType: 4, attribute: 5 };
const ATTRIBUTE = { name: 1, i: 3, t: 5, g: 6, graphs: 11 };
const TENSOR = { dataType: 2, int32Data: 5, name: 8, rawData: 9, dataLocation: 14 };
const VALUE_INFO = { name: 1, type: 2 };
const TYPE = { tensorType: 1 };
const TENSOR_TYPE = { elemType: 1 };
const FLOAT = 1;
const FLOAT16 = 10;

/** Ops whose fp16 versions become fp32 just by retyping their tensors (all that ISNet and U2-Net use). */
const RETYPABLE_OPS = new Set([
  'Conv',
  'Relu',
  'MaxPool',
  'AveragePool',
  'Concat',
  'Shape',
  'Constant',
  'Slice',
  'Resize',
  'Upsample',
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Sigmoid',
  'Cast',
  'BatchNormalization',
  'Reshape',
  'Transpose',
  'Identity',
]);

export interface PreparedModel {
  bytes: Uint8Array;
  /** The name of the output to fetch (its index changes when the others are pruned). */
  outputName: string;
  /** What was done, for the log. */
  changes: string[];
}

interface NodeInfo {
  fields: Field[];
  inputs: string[];
  outputs: string[];
  opType: string;
  hasSubgraph: boolean;
}

/**
 * @example const { bytes, outputName } = prepareModel(await loadModelBytes(source), 0);
 */
export function prepareModel(model: Uint8Array, outputIndex: number): PreparedModel {
  const modelFields = decodeMessage(model);
  const graphField = modelFields.find((f) => f.num === MODEL.graph);
  if (!graphField) throw new Error('not an ONNX model: no graph');
  let graph = decodeMessage(graphField.data);
  const outputs = graph.filter((f) => f.num === GRAPH.output);
  const chosen = outputs[outputIndex];
  if (!chosen) throw new Error(`the model has ${outputs.length} outputs; output #${outputIndex} does not exist`);
  const outputName = nameOf(chosen, VALUE_INFO.name);
  const nodes = graph.filter((f) => f.num === GRAPH.node).map(readNode);
  const changes: string[] = [];

  if (outputs.length > 1 && !nodes.some((n) => n.hasSubgraph)) {
    graph = prune(graph, nodes, chosen, outputName);
    changes.push(`kept output "${outputName}" of ${outputs.length}`);
  }
  const keptNodes = graph.filter((f) => f.num === GRAPH.node).map(readNode);
  const hasHalf = graph.some((f) => f.num === GRAPH.initializer && tensorType(decodeMessage(f.data)) === FLOAT16);
  if (hasHalf && keptNodes.every((n) => RETYPABLE_OPS.has(n.opType))) {
    graph = graph.map((f) => (f.num === GRAPH.node ? retypeNode(f) : isTyped(f) ? retypeValueInfo(f) : f));
    graph = graph.map((f) =>
      f.num === GRAPH.initializer ? bytesField(f.num, encodeMessage(toSingle(decodeMessage(f.data)))) : f,
    );
    changes.push('converted fp16 weights to fp32');
  }
  if (changes.length === 0) return { bytes: model, outputName, changes };
  const rebuilt = modelFields.map((f) => (f === graphField ? bytesField(MODEL.graph, encodeMessage(graph)) : f));
  return { bytes: encodeMessage(rebuilt), outputName, changes };
}

function nameOf(field: Field, nameNumber: number): string {
  const name = decodeMessage(field.data).find((f) => f.num === nameNumber);
  return name ? text(name) : '';
}

function readNode(field: Field): NodeInfo {
  const fields = decodeMessage(field.data);
  const attributes = fields.filter((f) => f.num === NODE.attribute).map((f) => decodeMessage(f.data));
  return {
    fields,
    inputs: fields.filter((f) => f.num === NODE.input).map(text),
    outputs: fields.filter((f) => f.num === NODE.output).map(text),
    opType: text(fields.find((f) => f.num === NODE.opType)!),
    hasSubgraph: attributes.some((a) => a.some((f) => f.num === ATTRIBUTE.g || f.num === ATTRIBUTE.graphs)),
  };
}

/** Keeps the nodes the chosen output depends on, and the initializers, inputs and shapes they use. */
function prune(graph: Field[], nodes: NodeInfo[], chosen: Field, outputName: string): Field[] {
  const producer = new Map<string, NodeInfo>();
  for (const node of nodes) for (const output of node.outputs) producer.set(output, node);
  const kept = new Set<NodeInfo>();
  const pending = [outputName];
  while (pending.length > 0) {
    const node = producer.get(pending.pop()!);
    if (!node || kept.has(node)) continue;
    kept.add(node);
    pending.push(...node.inputs.filter(Boolean));
  }
  const used = new Set([...kept].flatMap((n) => n.inputs));
  const produced = new Set([...kept].flatMap((n) => n.outputs));
  let nodeIndex = 0;
  return graph.filter((f) => {
    if (f.num === GRAPH.node) return kept.has(nodes[nodeIndex++]);
    if (f.num === GRAPH.output) return f === chosen;
    if (f.num === GRAPH.initializer) return used.has(nameOf(f, TENSOR.name));
    if (f.num === GRAPH.input) return used.has(nameOf(f, VALUE_INFO.name));
    if (f.num === GRAPH.valueInfo) return produced.has(nameOf(f, VALUE_INFO.name));
    return true;
  });
}

const isTyped = (f: Field) => f.num === GRAPH.input || f.num === GRAPH.output || f.num === GRAPH.valueInfo;

function tensorType(tensor: Field[]): number {
  const type = tensor.find((f) => f.num === TENSOR.dataType);
  return type ? intValue(type) : 0;
}

/** An fp16 tensor as fp32 raw data; other tensors unchanged. External data is left alone. */
function toSingle(tensor: Field[]): Field[] {
  if (tensorType(tensor) !== FLOAT16 || tensor.some((f) => f.num === TENSOR.dataLocation && intValue(f) === 1)) return tensor;
  const raw = tensor.find((f) => f.num === TENSOR.rawData);
  let halves: Uint16Array;
  if (raw) {
    halves = new Uint16Array(raw.data.length / 2);
    for (let i = 0; i < halves.length; i++) halves[i] = raw.data[2 * i] | (raw.data[2 * i + 1] << 8);
  } else {
    // Without raw_data, fp16 values sit in int32_data, packed varints of the 16-bit patterns.
    halves = Uint16Array.from(tensor.filter((f) => f.num === TENSOR.int32Data).flatMap((f) => packedVarints(f)));
  }
  const singles = new Float32Array(halves.length);
  const table = halfTable();
  for (let i = 0; i < halves.length; i++) singles[i] = table[halves[i]];
  const rest = tensor.filter((f) => f.num !== TENSOR.dataType && f.num !== TENSOR.rawData && f.num !== TENSOR.int32Data);
  return [intField(TENSOR.dataType, FLOAT), ...rest, bytesField(TENSOR.rawData, new Uint8Array(singles.buffer))];
}

function packedVarints(field: Field): number[] {
  if (field.wire !== Wire.Bytes) return [intValue(field)];
  const values: number[] = [];
  for (let i = 0; i < field.data.length; ) {
    const next = readVarint(field.data, i);
    values.push(next.value);
    i = next.next;
  }
  return values;
}

/** Constant tensors become fp32 and Cast-to-fp16 becomes Cast-to-fp32 (which ONNX Runtime then drops). */
function retypeNode(field: Field): Field {
  const fields = decodeMessage(field.data).map((f) => {
    if (f.num !== NODE.attribute) return f;
    const attribute = decodeMessage(f.data);
    const name = text(attribute.find((a) => a.num === ATTRIBUTE.name)!);
    const changed = attribute.map((a) => {
      if (a.num === ATTRIBUTE.t) return bytesField(a.num, encodeMessage(toSingle(decodeMessage(a.data))));
      if (a.num === ATTRIBUTE.i && name === 'to' && intValue(a) === FLOAT16) return intField(a.num, FLOAT);
      return a;
    });
    return bytesField(f.num, encodeMessage(changed));
  });
  return bytesField(field.num, encodeMessage(fields));
}

/** A graph input, output or value_info declared fp16 is declared fp32. */
function retypeValueInfo(field: Field): Field {
  const edit = (fields: Field[], num: number, change: (inner: Field[]) => Field[]) =>
    fields.map((f) =>
      f.num === num && f.wire === Wire.Bytes ? bytesField(num, encodeMessage(change(decodeMessage(f.data)))) : f,
    );
  const fields = edit(decodeMessage(field.data), VALUE_INFO.type, (type) =>
    edit(type, TYPE.tensorType, (tensor) =>
      tensor.map((f) => (f.num === TENSOR_TYPE.elemType && intValue(f) === FLOAT16 ? intField(f.num, FLOAT) : f)),
    ),
  );
  return bytesField(field.num, encodeMessage(fields));
}

let table: Float32Array | undefined;
/** Every fp16 bit pattern's value, built once (256 KiB): converting 44 M weights is then a lookup each. */
function halfTable(): Float32Array {
  if (table) return table;
  table = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const fraction = h & 0x3ff;
    table[h] =
      exponent === 0
        ? sign * 2 ** -14 * (fraction / 1024)
        : exponent === 31
          ? fraction
            ? NaN
            : sign * Infinity
          : sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
  }
  return table;
}
