import type { FastifyInstance, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Bounds on what a client may hold open. Without them a body that trickles a byte at a time, or keeps
 * coming after the request was already refused (401, 413), holds its connection and memory forever.
 */

/** After an answer that left the upload unread, how long the client gets to read it before the socket is dropped. */
export const HANG_UP_GRACE_MS = 2_000;

export interface ConnectionGuardOptions {
  /** Time to receive a whole request body, from its first byte to its last. */
  bodyTimeoutMs: number;
}

/**
 * - A request body must arrive within `bodyTimeoutMs`; past that the request is answered 408 (or, if an
 *   answer already went out, the connection is closed).
 * - Once a request is answered while its body is still arriving (refused early, or cut off), the server
 *   stops waiting for the rest: it half-closes the connection, reads and drops what is in flight for a
 *   short grace so the client can read the answer, then closes it.
 */
export function installConnectionGuards(app: FastifyInstance, options: ConnectionGuardOptions): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!hasBody(request)) return;
    const timer = setTimeout(() => {
      if (request.raw.complete) return;
      if (reply.sent || reply.raw.headersSent) return hangUp(request.raw.socket);
      // The 'finish' listener below hangs up once this answer is written (the body is still incomplete).
      void reply.status(408).send({ error: `Request body not received within ${Math.round(options.bodyTimeoutMs / 1000)} s` });
    }, options.bodyTimeoutMs);
    timer.unref();
    const clear = () => clearTimeout(timer);
    request.raw.once('end', clear);
    request.raw.once('close', clear);
    reply.raw.once('finish', () => {
      clear();
      if (!request.raw.complete) hangUp(request.raw.socket);
    });
  });
  // An answer sent before the body was read (a 401, or a 500 from an auth lookup while the database is
  // down) ends its connection: say so, or a keep-alive client sends its next request on a socket that is
  // about to close, and that request fails with no answer.
  app.addHook('onSend', async (request, reply) => {
    if (hasBody(request) && !request.raw.complete) reply.header('connection', 'close');
  });
}

/**
 * Answers a request that Node's HTTP parser refused (headers too large: 431, malformed: 400) in this API's
 * JSON shape, then hangs up gracefully: closing at once while the client is still sending its headers
 * would reset the connection before it could read the answer.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const message =
    status === 431 ? 'Request headers are too large' : status === 408 ? 'Request not received in time' : 'Malformed HTTP request';
  const body = JSON.stringify({ error: message });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  hangUp(socket);
}

/** Half-closes `socket`, drains what the client is still sending for a short grace, then destroys it. */
export function hangUp(socket: Socket | null | undefined): void {
  // (Requests injected by tests have a stand-in socket without these methods.)
  if (!socket || typeof socket.end !== 'function' || socket.destroyed || (socket as Socket & { hangingUp?: boolean }).hangingUp)
    return;
  (socket as Socket & { hangingUp?: boolean }).hangingUp = true;
  socket.end();
  socket.on('data', () => {});
  socket.resume();
  setTimeout(() => socket.destroy(), HANG_UP_GRACE_MS).unref();
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
}
