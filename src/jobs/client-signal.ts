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
