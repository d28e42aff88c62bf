/**
 * Writes a real, tiny ONNX model by hand (protobuf wire format), so that the "register a model by path"
 * feature is tested with ONNX Runtime itself and no downloaded file. The model: input `image` float
 * [1, 3, S, S]; output 0 `inverted` = -mean over channels, output 1 `brightness` = mean over channels.
 * With activation `minmax` and outputIndex 1, its matte is the normalised brightness of the model input.
 */

function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

type Field = [number, number | string | Uint8Array | number[]];

/** Encodes fields in order: numbers as varints, strings and nested messages as length-delimited. */
function message(fields: Field[]): Uint8Array {
  const bytes: number[] = [];
  for (const [field, value] of fields) {
    if (typeof value === 'number') {
      bytes.push(...varint(field << 3), ...varint(value));
    } else {
      const body = typeof value === 'string' ? new TextEncoder().encode(value) : Uint8Array.from(value);
      bytes.push(...varint((field << 3) | 2), ...varint(body.length), ...body);
    }
  }
  return Uint8Array.from(bytes);
}

function tensorValueInfo(name: string, dims: number[], elemType = 1): Uint8Array {
  const shape = message(dims.map((d) => [1, message([[1, d]])] as Field));
  const tensorType = message([
    [1, elemType], // 1 FLOAT, 10 FLOAT16
    [2, shape],
  ]);
  return message([
    [1, name],
    [2, message([[1, tensorType]])],
  ]);
}

function node(op: string, inputs: string[], outputs: string[], attributes: Uint8Array[] = []): Uint8Array {
  return message([
    ...inputs.map((i) => [1, i] as Field),
    ...outputs.map((o) => [2, o] as Field),
    [3, `${op}_${outputs[0]}`],
    [4, op],
    ...attributes.map((a) => [5, a] as Field),
  ]);
}

export function tinyBrightnessModel(side: number): Uint8Array {
  const axes = message([
    [1, 'axes'],
    [8, 1], // ints: [1]
    [20, 7], // type INTS
  ]);
  const keepdims = message([
    [1, 'keepdims'],
    [3, 1],
    [20, 2], // type INT
  ]);
  const graph = message([
    [1, node('ReduceMean', ['image'], ['brightness'], [axes, keepdims])],
    [1, node('Neg', ['brightness'], ['inverted'])],
    [2, 'tiny-brightness'],
    [11, tensorValueInfo('image', [1, 3, side, side])],
    [12, tensorValueInfo('inverted', [1, 1, side, side])],
    [12, tensorValueInfo('brightness', [1, 1, side, side])],
  ]);
  return message([
    [1, 8], // ir_version
    [8, message([[2, 13]])], // opset_import: default domain, version 13
    [7, graph],
  ]);
}

/**
 * A half-precision model like imgly's ISNet export: float input, Cast to fp16, Add of an fp16 initializer,
 * Cast back to float. `halves` are the 16-bit patterns of the four constants added.
 */
export function tinyHalfModel(halves: [number, number, number, number]): Uint8Array {
  const raw = new Uint8Array(8);
  halves.forEach((h, i) => {
    raw[2 * i] = h & 0xff;
    raw[2 * i + 1] = h >> 8;
  });
  const initializer = message([
    [1, 1],
    [1, 4], // dims [1, 4]
    [2, 10], // FLOAT16
    [8, 'offsets'],
    [9, raw],
  ]);
  const castTo = (type: number) =>
    message([
      [1, 'to'],
      [3, type],
      [20, 2], // INT
    ]);
  const graph = message([
    [1, node('Cast', ['x'], ['x16'], [castTo(10)])],
    [1, node('Add', ['x16', 'offsets'], ['sum16'])],
    [1, node('Cast', ['sum16'], ['sum'], [castTo(1)])],
    [2, 'tiny-half'],
    [5, initializer],
    [11, tensorValueInfo('x', [1, 4])],
    [12, tensorValueInfo('sum', [1, 4])],
    [13, tensorValueInfo('x16', [1, 4], 10)],
  ]);
  return message([
    [1, 8],
    [8, message([[2, 13]])],
    [7, graph],
  ]);
}
