import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import pg from 'pg';
import { migrate } from '../../../src/storage/postgres/migrate.js';
import { POSTGRES_MIGRATIONS, type Migration } from '../../../src/storage/postgres/migrations.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';

const databases: TestDatabase[] = [];
const pools: pg.Pool[] = [];
async function freshPool(): Promise<pg.Pool> {
  const database = await createTestDatabase();
  databases.push(database);
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  pools.push(pool);
  return pool;
}
after(async () => {
  for (const pool of pools) await pool.end();
  for (const database of databases) await database.drop();
});

const steps: Migration[] = [
  { version: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER)' },
  { version: 2, name: 'two', sql: 'ALTER TABLE a ADD COLUMN y INTEGER' },
];

test('applies each missing step once, in order, and records it', async () => {
  const pool = await freshPool();
  assert.deepEqual(await migrate(pool, steps.slice(0, 1)), [1]);
  assert.deepEqual(await migrate(pool, steps), [2]);
  assert.deepEqual(await migrate(pool, steps), []);
  const { rows } = await pool.query('SELECT version, name FROM schema_migrations ORDER BY version');
  assert.deepEqual(rows, [
    { version: 1, name: 'one' },
    { version: 2, name: 'two' },
  ]);
  await pool.query('INSERT INTO a (x, y) VALUES (1, 2)');
});

test('replicas starting together: exactly one applies the schema', async () => {
  const pool = await freshPool();
  const results = await Promise.all(Array.from({ length: 4 }, () => migrate(pool, POSTGRES_MIGRATIONS)));
  assert.deepEqual(
    results.flat().sort(),
    POSTGRES_MIGRATIONS.map((m) => m.version),
  );
});

test('a failing step leaves the database as it was', async () => {
  const pool = await freshPool();
  await migrate(pool, steps.slice(0, 1));
  const broken: Migration[] = [
    ...steps.slice(0, 1),
    { version: 2, name: 'broken', sql: 'ALTER TABLE a ADD COLUMN z INTEGER; SELECT * FROM no_such_table' },
  ];
  await assert.rejects(migrate(pool, broken), /no_such_table/);
  const columns = await pool.query(
    "SELECT column_name FROM information_schema.columns WHERE table_name = 'a' ORDER BY column_name",
  );
  assert.deepEqual(
    columns.rows.map((r) => r.column_name),
    ['x'],
    'the half-applied step was rolled back',
  );
  assert.deepEqual((await pool.query('SELECT version FROM schema_migrations')).rows, [{ version: 1 }]);
});

test('refuses a database migrated by a newer release, and steps out of order', async () => {
  const pool = await freshPool();
  await migrate(pool, steps);
  await assert.rejects(migrate(pool, steps.slice(0, 1)), /schema versions this release does not know \(2\)/);
  await assert.rejects(migrate(pool, [steps[1]]), /expected 1/);
});
