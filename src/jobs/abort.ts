import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * An AbortSignal that fires when the client goes away before the response is complete. The response's
 * 'close' event is the reliable one: it fires when the socket closes, and `writableFinished` tells a
 * completed response from an abandoned one.
 */
export function clientSignal(request: FastifyRequest, reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  const onClose = () => {
    if (!reply.raw.writableFinished) controller.abort(new Error('client closed the request'));
  };
  if (request.raw.socket?.destroyed) onClose();
  reply.raw.once('close', onClose);
  return controller.signal;
}

/**
 * Settles with `work`, or rejects as soon as `signal` aborts, whichever comes first. Engines are asked to
 * honour the signal themselves; this guarantees the request ends on time even if one does not.
 */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => (signal.removeEventListener('abort', onAbort), resolve(value)),
      (error) => (signal.removeEventListener('abort', onAbort), reject(error)),
    );
  });
}
