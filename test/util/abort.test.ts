import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { withDeadline } from '../../src/util/abort.js';

const script = join(fileURLToPath(new URL('.', import.meta.url)), 'deadline-under-gc.js');

/** Runs the script in a Node with `--expose-gc`, where collections are forced while the deadline is pending. */
async function underGc(mode: string): Promise<Record<string, unknown>> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', script, mode], { timeout: 20_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

describe('withDeadline', () => {
  it('aborts with a TimeoutError when the time is up', async () => {
    const deadline = withDeadline(undefined, 30);
    await new Promise((resolve) => deadline.signal.addEventListener('abort', resolve));
    assert.equal(deadline.timedOut, true);
    assert.equal((deadline.signal.reason as DOMException).name, 'TimeoutError');
  });

  it('follows its parent, and reports that it did not time out', () => {
    const parent = new AbortController();
    const deadline = withDeadline(parent.signal, 10_000);
    parent.abort(new Error('client left'));
    assert.equal(deadline.signal.aborted, true);
    assert.equal((deadline.signal.reason as Error).message, 'client left');
    assert.equal(deadline.timedOut, false);
    deadline.dispose();
  });

  it('never fires once disposed', async () => {
    const deadline = withDeadline(undefined, 20);
    deadline.dispose();
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(deadline.signal.aborted, false);
  });

  it('fires even when garbage collections run while it is pending (nodejs/node#57736)', async () => {
    const result = await underGc('helper');
    assert.equal(result.fired, true, JSON.stringify(result));
  });

  it("ends a request at the model's timeout even when collections run meanwhile", async () => {
    const result = await underGc('job');
    assert.equal(result.status, 504, JSON.stringify(result));
    assert.match(String(result.error), /did not finish within 300 ms/);
    assert.ok(Number(result.answeredAtMs) < 3_000, JSON.stringify(result));
  });
});
