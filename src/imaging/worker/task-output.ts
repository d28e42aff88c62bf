/**
 * What an imaging task returns: its value, and the buffers inside it that should be moved (not copied)
 * back to the main thread. A multi-megapixel result copied through postMessage costs as much as a
 * filter pass; moved, it costs nothing.
 *
 * @example
 * return taskOutput({ data }, [data.buffer]);
 */
export interface TaskOutput<Value> {
  value: Value;
  transfer: ArrayBuffer[];
}

export function taskOutput<Value>(value: Value, transfer: ArrayBuffer[] = []): TaskOutput<Value> {
  return { value, transfer };
}

/**
 * How a task's result crosses the thread boundary. User-facing failures (ApiError) are sent back as data,
 * because structured cloning keeps only an Error's message and would lose the error's code.
 */
export type TaskEnvelope<Value> = { ok: true; value: Value } | { ok: false; error: { code: string; message: string } };
