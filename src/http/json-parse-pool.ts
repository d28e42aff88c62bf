import { Piscina } from 'piscina';
import { ApiError } from '../errors.js';
import { WORKER_EXEC_ARGV, workerFile } from '../util/worker-file.js';
import type { JsonParseReply } from './worker/json-parse-worker.js';

/**
 * JSON.parse of a 100 MB body holds the thread for one to two seconds: every other request, /healthz
 * included, would wait. Bodies from this size up are parsed in a worker thread instead; the parsed value
 * comes back by structured clone, which copies long strings (base64 images) at memory speed.
 */
export const OFF_THREAD_BYTES = 1024 * 1024;

let pool: Piscina | undefined;

/**
 * Parses a large JSON body, given as the chunks it arrived in, in the parser thread; a text that is not
 * JSON, or that tries to set `__proto__` or `constructor.prototype`, is a 400.
 *
 * @example const fields = await parseJsonOffThread(chunks, receivedBytes);
 */
export async function parseJsonOffThread(chunks: readonly Uint8Array[], length: number): Promise<unknown> {
  pool ??= new Piscina({
    execArgv: WORKER_EXEC_ARGV,
    filename: workerFile(import.meta.url, './worker/json-parse-worker'),
    minThreads: 0,
    maxThreads: 2,
    // Idle parser threads go away, so a server that never sees large JSON bodies keeps none.
    idleTimeout: 30_000,
  });
  // One copy, into memory of its own that is then moved (not copied again) to the thread: the chunks
  // may be views into a shared pool that must not be detached.
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  const reply: JsonParseReply = await pool.run(bytes, { transferList: [bytes.buffer] });
  if (reply.ok) return reply.value;
  throw new ApiError(
    'INVALID_PARAMETERS',
    reply.reason === 'syntax'
      ? 'Invalid request parameters: the body is not valid JSON'
      : 'Invalid request parameters: the body sets a forbidden key',
  );
}

/** Stops the parser threads (the app's close). */
export async function closeJsonParsePool(): Promise<void> {
  const closing = pool;
  pool = undefined;
  await closing?.destroy();
}
