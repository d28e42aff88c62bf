import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { HANG_UP_GRACE_MS } from '../../src/http/connection-guards.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * Abuse at the HTTP level, over real sockets: oversized headers, bodies that trickle forever, and clients
 * that keep sending after they were refused. Each gets an answer it can read, and loses its connection
 * within a bound.
 */
const BODY_TIMEOUT_MS = 1_500;

interface Exchange {
  /** Everything the server sent. */
  response: string;
  /** How the connection ended, measured from the start. */
  closedAfterMs: number;
  error?: string;
}

/** Opens a socket, lets `drive` write to it, and collects the answer until the server closes the connection. */
function exchange(port: number, drive: (socket: Socket) => void, giveUpMs = 15_000): Promise<Exchange> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect(port, '127.0.0.1');
    let response = '';
    let error: string | undefined;
    const done = () => resolve({ response, closedAfterMs: performance.now() - started, error });
    socket.on('data', (chunk) => (response += chunk.toString('latin1')));
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.on('close', done);
    setTimeout(() => socket.destroy(), giveUpMs).unref();
    socket.on('connect', () => drive(socket));
  });
}

/** Writes `chunk` every `everyMs` until the socket closes. */
function trickle(socket: Socket, chunk: string, everyMs: number): void {
  const timer = setInterval(() => {
    if (socket.destroyed || !socket.writable) return clearInterval(timer);
    socket.write(chunk);
  }, everyMs);
  socket.on('close', () => clearInterval(timer));
}

describe('protocol abuse over real sockets', () => {
  let t: TestApp;
  let port: number;

  before(async () => {
    t = await createTestApp({ config: { bodyTimeoutMs: BODY_TIMEOUT_MS, bodyLimitBytes: 4 * 1024 * 1024 } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as { port: number }).port;
  });
  after(() => t.app.close());

  test('a 1 MB Authorization header is answered 431, readable, not reset', async () => {
    const result = await exchange(port, (socket) => {
      socket.write(
        `POST /api/v1/image/edit HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${'a'.repeat(1024 * 1024)}\r\nContent-Length: 2\r\n\r\n{}`,
      );
    });
    assert.match(result.response, /^HTTP\/1\.1 431 /, `${result.error ?? ''} ${result.response.slice(0, 100)}`);
    assert.match(result.response, /"error":"Request headers are too large"/);
  });

  test('an authenticated body that trickles forever is cut off at the body deadline', async () => {
    const result = await exchange(port, (socket) => {
      socket.write(
        `POST /api/v1/image/edit HTTP/1.1\r\nHost: x\r\nAuthorization: ${t.auth.authorization}\r\n` +
          'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n',
      );
      trickle(socket, '1\r\n \r\n', 100);
    });
    assert.match(result.response, /^HTTP\/1\.1 408 /, result.response.slice(0, 200));
    assert.ok(
      result.closedAfterMs < BODY_TIMEOUT_MS + HANG_UP_GRACE_MS + 1_500,
      `closed after ${Math.round(result.closedAfterMs)} ms`,
    );
  });

  test('a refused request that keeps sending is answered 401 and then cut off', async () => {
    const result = await exchange(port, (socket) => {
      socket.write(
        'POST /api/v1/image/edit HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
      );
      trickle(socket, `400\r\n${'A'.repeat(1024)}\r\n`, 20);
    });
    assert.match(result.response, /^HTTP\/1\.1 401 /, result.response.slice(0, 200));
    // The answer says the connection ends, so a keep-alive client never sends its next request on it.
    assert.match(result.response, /\r\nconnection: close\r\n/i, result.response.slice(0, 400));
    assert.ok(result.closedAfterMs < HANG_UP_GRACE_MS + 1_500, `closed after ${Math.round(result.closedAfterMs)} ms`);
  });

  test('a streamed body past the limit is refused as it arrives, and the connection closed', async () => {
    const result = await exchange(port, (socket) => {
      socket.write(
        `POST /api/v1/image/edit HTTP/1.1\r\nHost: x\r\nAuthorization: ${t.auth.authorization}\r\n` +
          'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
      );
      socket.write('b\r\n{"image":"A\r\n');
      trickle(socket, `10000\r\n${'A'.repeat(0x10000)}\r\n`, 5);
    });
    assert.match(result.response, /^HTTP\/1\.1 413 /, result.response.slice(0, 200));
    assert.ok(result.closedAfterMs < HANG_UP_GRACE_MS + 3_000, `closed after ${Math.round(result.closedAfterMs)} ms`);
  });

  test('a declared Content-Length past the limit is refused without reading the body', async () => {
    const result = await exchange(port, (socket) => {
      socket.write(
        `POST /api/v1/image/edit HTTP/1.1\r\nHost: x\r\nAuthorization: ${t.auth.authorization}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${500 * 1024 * 1024}\r\n\r\n{"image":"`,
      );
    });
    assert.match(result.response, /^HTTP\/1\.1 413 /, result.response.slice(0, 200));
    assert.ok(result.closedAfterMs < HANG_UP_GRACE_MS + 1_500, `closed after ${Math.round(result.closedAfterMs)} ms`);
  });

  test('the server still answers normally afterwards', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(res.status, 200);
  });
});
