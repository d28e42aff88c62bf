import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/**
 * A Redis key prefix of its own per test run, on the Redis of the development and CI machines
 * (127.0.0.1:6379; .ci/run starts it), and the removal of its keys afterwards.
 * Override the server with RETOUCH_TEST_REDIS_URL. A missing server is an error, never a skipped test.
 */
export const TEST_REDIS_URL = process.env.RETOUCH_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function testRedisPrefix(): string {
  return `retouch-test:${randomBytes(6).toString('hex')}:`;
}

export async function dropRedisPrefix(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1, connectTimeout: 3_000 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Fails with a clear message when the test Redis does not answer. */
export async function assertRedisAnswers(): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 0, connectTimeout: 2_000, lazyConnect: true });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(`Redis is not reachable at ${TEST_REDIS_URL}; start it as .ci/run does (${(error as Error).message})`);
  } finally {
    redis.disconnect();
  }
}
