import { ApiError } from '../../errors.js';

/** What a client is told to wait before retrying while the database is unreachable. */
const RETRY_AFTER_SECONDS = 5;

/** SQLSTATE classes and codes that mean the database went away, not that the statement was wrong. */
const CONNECTION_SQLSTATES = /^(?:08|57P0[123]|53300)/;
const CONNECTION_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);
// node-postgres reports a dropped or never-made connection by message only.
const CONNECTION_MESSAGES =
  /^(?:Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

/** Whether `error` says the database cannot be reached (restarting, stopped, out of connections). */
export function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code } = error as Error & { code?: string };
  if (typeof code === 'string' && (CONNECTION_SQLSTATES.test(code) || CONNECTION_ERRNOS.has(code))) return true;
  return CONNECTION_MESSAGES.test(error.message);
}

/**
 * A database that cannot be reached is the service's passing trouble, not a fault in the request: the
 * client gets 503 with Retry-After (as when Redis is down), and the cause goes to the log. Other errors
 * pass through unchanged.
 */
export function asUnavailable(error: unknown): unknown {
  if (!isConnectionFailure(error)) return error;
  return new ApiError(
    'SERVICE_UNAVAILABLE',
    'Service temporarily unavailable: the accounts database cannot be reached; retry shortly',
    {
      headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) },
      cause: error,
    },
  );
}
