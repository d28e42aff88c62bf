import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { initSync, WasmBuilder, WasmReader } from '@contentauth/c2pa-wasm';

/**
 * The C2PA library (c2pa-rs compiled to WebAssembly, `@contentauth/c2pa-wasm`), loaded from the npm
 * package's own `.wasm` file: nothing is downloaded. It is built for browser workers, so two things are
 * bridged here for Node:
 *
 * - It reads its inputs as `Blob`s through `FileReaderSync`, a worker-only browser API. It only ever
 *   calls `size`, `slice(start, end)` and `FileReaderSync#readAsArrayBuffer` on them, so a `ByteSource`
 *   (bytes we already hold) and a `FileReaderSync` that accepts only those are all it needs. The global is
 *   defined only where none exists and refuses anything but a `ByteSource`.
 * - The module is compiled on first use (about 150 ms, 9 MB), not at import, so a server with signing
 *   off never pays for it.
 */

/** Bytes we hold, shaped like the part of `Blob` the library reads. */
export class ByteSource {
  readonly size: number;
  constructor(readonly bytes: Uint8Array) {
    this.size = bytes.byteLength;
  }
  slice(start = 0, end = this.size): ByteSource {
    return new ByteSource(this.bytes.subarray(start, end));
  }
}

class ByteSourceReader {
  readAsArrayBuffer(source: unknown): ArrayBuffer {
    if (!(source instanceof ByteSource)) throw new TypeError('Only retouch ByteSource inputs can be read here');
    const { bytes } = source;
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }
}

let loaded = false;

/** The builder and reader classes, with the module compiled on the first call. */
export function c2pa(): { WasmBuilder: typeof WasmBuilder; WasmReader: typeof WasmReader } {
  if (!loaded) {
    const scope = globalThis as { FileReaderSync?: unknown };
    scope.FileReaderSync ??= ByteSourceReader;
    const require = createRequire(import.meta.url);
    initSync({ module: readFileSync(require.resolve('@contentauth/c2pa-wasm/c2pa.wasm')) });
    loaded = true;
  }
  return { WasmBuilder, WasmReader };
}

/** The library takes `Blob`s in its signatures; a ByteSource is what it reads from them (see above). */
export function asBlob(bytes: Uint8Array): Blob {
  return new ByteSource(bytes) as unknown as Blob;
}

/** MIME types the library signs and reads, by output format. */
export const C2PA_FORMATS = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' } as const;
