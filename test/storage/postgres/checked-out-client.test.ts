import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { withCheckedOutClient } from '../../../src/storage/postgres/checked-out-client.js';
import { admin, createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';

/**
 * PostgreSQL dropping a connection while a transaction holds it between two queries (what a restart does to
 * every replica): the process must live on, the transaction must fail, and the pool must hand out a working
 * connection next. Before withCheckedOutClient, the dropped connection emitted 'error' with no listener and
 * Node ended the process (found by the replicas suite's PostgreSQL-restart case).
 */
let database: TestDatabase;
let pool: pg.Pool;

before(async () => {
  database = await createTestDatabase();
  pool = new pg.Pool({ connectionString: database.url, max: 1 });
  pool.on('error', () => {}); // idle connections dropped by the drop below are the pool's to report
});

after(async () => {
  await pool.end();
  await database.drop();
});

test('a connection dropped between two queries of a transaction fails that transaction, not the process', async () => {
  const uncaught: unknown[] = [];
  const record = (error: unknown) => uncaught.push(error);
  process.on('uncaughtException', record);
  try {
    await assert.rejects(
      withCheckedOutClient(pool, async (client) => {
        await client.query('BEGIN');
        const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await admin(`SELECT pg_terminate_backend(${rows[0].pid})`);
        // Between two queries: the server's goodbye arrives while no query is active.
        await new Promise((resolve) => setTimeout(resolve, 200));
        await client.query('SELECT 1');
      }),
    );
    assert.deepEqual(uncaught, [], 'no error escaped to the process');
  } finally {
    process.off('uncaughtException', record);
  }
  // The broken connection was destroyed, not pooled again: the next one works.
  const { rows } = await withCheckedOutClient(pool, (client) => client.query<{ one: number }>('SELECT 1 AS one'));
  assert.equal(rows[0].one, 1);
});
