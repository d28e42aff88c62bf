/**
 * Just enough of the protobuf wire format to edit an ONNX model in memory: a message is read as a flat
 * list of fields whose bytes are kept as they were, so a field nobody touches is written back unchanged.
 * No schema, no dependency; ONNX's field numbers are named where they are used (model-rewrite.ts).
 */

export const Wire = { Varint: 0, Fixed64: 1, Bytes: 2, Fixed32: 5 } as const;
export type Wire = (typeof Wire)[keyof typeof Wire];

/** One field: for `Bytes` the payload, for the others the encoded value bytes (varint or fixed). */
export interface Field {
  num: number;
  wire: Wire;
  data: Uint8Array;
}

export function readVarint(bytes: Uint8Array, offset = 0): { value: number; next: number } {
  let value = 0;
  let scale = 1;
  let i = offset;
  for (;;) {
    if (i >= bytes.length) throw new Error('truncated varint');
    const byte = bytes[i++];
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return { value, next: i };
    scale *= 128;
    if (scale > 2 ** 63) throw new Error('varint too long');
  }
}

export function varint(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`cannot encode ${value} as a varint`);
  const out: number[] = [];
  let v = value;
  while (v > 0x7f) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Uint8Array.from(out);
}

/** Splits a message into its fields (payloads are views into `bytes`, not copies). */
export function decodeMessage(bytes: Uint8Array): Field[] {
  const fields: Field[] = [];
  let i = 0;
  while (i < bytes.length) {
    const key = readVarint(bytes, i);
    const num = Math.floor(key.value / 8);
    const wire = (key.value % 8) as Wire;
    i = key.next;
    let end: number;
    if (wire === Wire.Varint) end = readVarint(bytes, i).next;
    else if (wire === Wire.Fixed64) end = i + 8;
    else if (wire === Wire.Fixed32) end = i + 4;
    else if (wire === Wire.Bytes) {
      const length = readVarint(bytes, i);
      i = length.next;
      end = i + length.value;
    } else throw new Error(`unsupported wire type ${wire}`);
    if (end > bytes.length) throw new Error('truncated field');
    fields.push({ num, wire, data: bytes.subarray(i, end) });
    i = end;
  }
  return fields;
}

/** Writes fields back, in order, into one buffer. */
export function encodeMessage(fields: readonly Field[]): Uint8Array {
  const parts: Uint8Array[] = [];
  let size = 0;
  for (const field of fields) {
    const key = varint(field.num * 8 + field.wire);
    parts.push(key);
    size += key.length;
    if (field.wire === Wire.Bytes) {
      const length = varint(field.data.length);
      parts.push(length);
      size += length.length;
    }
    parts.push(field.data);
    size += field.data.length;
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export const text = (field: Field) => new TextDecoder().decode(field.data);
export const intValue = (field: Field) => readVarint(field.data).value;
export const intField = (num: number, value: number): Field => ({ num, wire: Wire.Varint, data: varint(value) });
export const bytesField = (num: number, data: Uint8Array): Field => ({ num, wire: Wire.Bytes, data });
