import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A throw-away PostgreSQL database per test run, on the server of the development and CI machines
 * (127.0.0.1:5432, trust auth; .ci/run starts it). Override the server with RETOUCH_TEST_POSTGRES_URL.
 * A missing server is an error, never a skipped test.
 */
export const ADMIN_URL = process.env.RETOUCH_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `retouch_test_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** Runs one statement as the admin user (CREATE / DROP DATABASE cannot run in a transaction). */
export async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`PostgreSQL is not reachable at ${ADMIN_URL}; start it as .ci/run does (${(error as Error).message})`);
  }
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
