import { move, transferableSymbol, valueSymbol } from 'piscina';
import { isApiError } from '../../errors.js';
import type { TaskEnvelope, TaskOutput } from './task-output.js';
import { TASKS, type TaskName } from './tasks.js';

/** The message the pool sends: which task of the table to run, and its payload. */
export interface TaskMessage {
  task: TaskName;
  payload: unknown;
}

/**
 * The one module every imaging worker runs: it looks the task up in the table and runs it, moving the
 * result's buffers back instead of copying them.
 */
export default async function runTask(message: TaskMessage): Promise<unknown> {
  // An own-property check, so that a name like `constructor` is not mistaken for a task.
  if (!Object.hasOwn(TASKS, message.task)) throw new Error(`unknown imaging task: ${String(message.task)}`);
  const handler = TASKS[message.task] as (payload: unknown) => TaskOutput<unknown> | Promise<TaskOutput<unknown>>;
  let output: TaskOutput<unknown>;
  try {
    output = await handler(message.payload);
  } catch (error) {
    if (!isApiError(error)) throw error;
    const failure: TaskEnvelope<never> = { ok: false, error: { code: error.code, message: error.message } };
    return failure;
  }
  const envelope: TaskEnvelope<unknown> = { ok: true, value: output.value };
  return move({ [transferableSymbol]: output.transfer, [valueSymbol]: envelope } as never);
}
