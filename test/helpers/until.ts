import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `check` until it holds (however long a busy machine takes, up to `timeoutMs`), then returns how
 * many milliseconds that took; past the limit it throws, naming `what` it was waiting for.
 */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
  return Date.now() - started;
}
