import sjson from 'secure-json-parse';

/** What the parser thread answers: the value, or why the text is not acceptable JSON. */
export type JsonParseReply = { ok: true; value: unknown } | { ok: false; reason: 'syntax' | 'prototype' };

/**
 * Parses one JSON body off the main thread (see json-parse-pool.ts), with the same prototype-poisoning
 * rules as Fastify's own parser. The bytes arrive transferred, not copied.
 */
export default function parseJson(bytes: Uint8Array): JsonParseReply {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  try {
    return { ok: true, value: sjson.parse(text, null, { protoAction: 'error', constructorAction: 'error' }) };
  } catch (error) {
    return { ok: false, reason: error instanceof SyntaxError ? 'syntax' : 'prototype' };
  }
}
