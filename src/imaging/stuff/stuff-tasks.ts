import { taskOutput, type TaskOutput } from '../worker/task-output.js';
import { findStuff, type StuffInput, type StuffResult } from './find-stuff.js';
import { editSky, type SkyEditInput, type SkyEditResult } from './sky-look.js';

/**
 * The imaging workers' entries for stuff (worker/tasks.ts lists them): finding a kind of stuff and editing
 * a found sky, with the result buffers moved back to the caller.
 */

export function findStuffTask(payload: StuffInput): TaskOutput<StuffResult> {
  const result = findStuff(payload);
  return taskOutput(result, result.mask ? [result.mask.buffer as ArrayBuffer] : []);
}

export function editSkyTask(payload: SkyEditInput): TaskOutput<SkyEditResult> {
  const result = editSky(payload);
  return taskOutput(result, [result.data.buffer as ArrayBuffer]);
}
