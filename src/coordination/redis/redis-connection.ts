import { type Command, Redis } from 'ioredis';
import { ApiError } from '../../errors.js';

interface Logger {
  warn(object: object, message: string): void;
  info(object: object, message: string): void;
}

export interface RedisSettings {
  url: string;
  keyPrefix: string;
  commandTimeoutMs: number;
}

/** How long a client is told to wait when Redis is unreachable. */
const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/**
 * The Redis connection of one process. Every command fails within `commandTimeoutMs` when Redis is
 * unreachable (one attempt, no queueing beyond that), so a request never hangs on it; ioredis keeps
 * reconnecting in the background and the next request succeeds as soon as Redis is back.
 */
export function connectRedis(settings: RedisSettings, log: Logger): Redis {
  const redis = new Redis(settings.url, {
    keyPrefix: settings.keyPrefix,
    connectTimeout: Math.max(1_000, settings.commandTimeoutMs),
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  // Not ioredis's own `commandTimeout`: see replyDeadline.
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = (command: Command, stream?: Parameters<Redis['sendCommand']>[1]) => {
    replyDeadline(command, settings.commandTimeoutMs);
    return send(command, stream);
  };
  // Without a listener ioredis's 'error' events would end the process; one line per outage is enough.
  let down = false;
  redis.on('error', (error: Error) => {
    if (!down) log.warn({ err: error }, 'Redis unreachable: limits, idempotency locks and capacity answer 503 until it is back');
    down = true;
  });
  redis.on('ready', () => {
    if (down) log.info({}, 'Redis reachable again');
    down = false;
  });
  return redis;
}

const armed = new WeakSet<Command>();

/**
 * Fails a command that has no reply `ms` after it was sent, as ioredis's `commandTimeout` does, but only
 * once the replies already received have been read. A process starved of CPU runs its due timers before it
 * reads its sockets (timers come first in Node's event loop), so ioredis's timer rejected commands whose
 * reply was sitting in the socket: a busy replica answered a false 503 "shared limits cannot be checked"
 * (5 of 40 requests at load 10 with a 100 ms timeout). Here the timer only schedules the check for the
 * loop's check phase (setImmediate), which runs after the poll phase has read and parsed what arrived.
 * A command sent again after a reconnect keeps its first deadline.
 */
function replyDeadline(command: Command, ms: number): void {
  if (armed.has(command)) return;
  armed.add(command);
  const timer = setTimeout(() => {
    setImmediate(() => {
      if (!command.isSettled) command.reject(new Error('Command timed out'));
    });
  }, ms);
  command.promise.then(
    () => clearTimeout(timer),
    () => clearTimeout(timer),
  );
}

/**
 * Runs a Redis call; any failure of Redis itself becomes the client's 503 with Retry-After. Limits fail
 * closed: without Redis no replica can know what the others admitted, so it admits nothing.
 */
export async function viaRedis<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw redisUnavailable(error);
  }
}

export function redisUnavailable(cause: unknown): ApiError {
  return new ApiError('SERVICE_UNAVAILABLE', 'Service temporarily unavailable: shared limits cannot be checked; retry shortly', {
    headers: { 'Retry-After': String(UNAVAILABLE_RETRY_AFTER_SECONDS) },
    cause,
  });
}
