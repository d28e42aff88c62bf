import { setTimeout as delay } from 'node:timers/promises';

/**
 * Settles with `work`, or rejects as soon as `signal` aborts, whichever comes first. Engines are asked to
 * honour the signal themselves; this guarantees the request ends on time even if one does not.
 */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) {
    work.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** A signal that aborts when its parent does or when its time is up, and the means to end it early. */
export interface Deadline {
  signal: AbortSignal;
  /** True once the time limit (not the parent) aborted the signal. */
  readonly timedOut: boolean;
  /** Stops the timer and detaches from the parent; call it when the work ends, however it ends. */
  dispose(): void;
}

/**
 * `AbortSignal.any([parent, AbortSignal.timeout(ms)])`, made safe. On Node 20 the combined signal holds
 * its sources weakly, so an unreferenced `AbortSignal.timeout` signal can be garbage-collected before it
 * fires and the work then runs forever (nodejs/node#57736). Here the timer is a plain `setTimeout`, held
 * by the event loop until it fires or `dispose()` clears it, so the deadline always fires.
 *
 * @example
 * const deadline = withDeadline(clientSignal, model.timeoutMs);
 * try { return await engine.run({ ...request, signal: deadline.signal }); } finally { deadline.dispose(); }
 */
export function withDeadline(parent: AbortSignal | undefined, ms: number): Deadline {
  const controller = new AbortController();
  let timedOut = false;
  const onParentAbort = () => controller.abort(parent!.reason);
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(`The operation timed out after ${ms} ms`, 'TimeoutError'));
  }, ms);
  if (parent?.aborted) onParentAbort();
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    dispose() {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
    },
  };
}

/**
 * Resolves after `ms`, or rejects with the signal's own reason as soon as it aborts. Node's
 * `timers/promises` does the waiting; it rejects with a generic AbortError, and callers here tell a
 * deadline from a client that left by the reason, so the reason is passed on instead.
 */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, signal ? { signal } : undefined);
  } catch (error) {
    throw signal?.aborted ? signal.reason : error;
  }
}
