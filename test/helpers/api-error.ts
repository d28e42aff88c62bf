import assert from 'node:assert/strict';
import { ApiError } from '../../src/errors.js';

/** Asserts that `promise` rejects with an ApiError of `code` whose message contains every one of `parts`. */
export async function rejectsWithApiError(promise: Promise<unknown>, code: string, ...parts: string[]): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof ApiError, String(error));
    assert.equal(error.code, code);
    for (const part of parts) assert.ok(error.message.includes(part), `"${error.message}" lacks "${part}"`);
    return true;
  });
}
