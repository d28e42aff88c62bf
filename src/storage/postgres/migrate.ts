import type { Pool, PoolClient } from 'pg';
import { withCheckedOutClient } from './checked-out-client.js';
import type { Migration } from './migrations.js';

/**
 * Brings a PostgreSQL database to the newest schema version. All replicas may start at once: one
 * transaction holds a transaction-level advisory lock, so exactly one of them applies the missing steps
 * and the others then find nothing to do. Each step and its record in `schema_migrations` commit together
 * (PostgreSQL's DDL is transactional), so a failing step leaves the database as it was.
 *
 * @returns the versions applied by this call (empty when the database was up to date).
 */
export async function migrate(pool: Pool, migrations: readonly Migration[]): Promise<number[]> {
  checkOrder(migrations);
  return withCheckedOutClient(pool, async (client) => {
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await client.query(`
        CREATE TABLE IF NOT EXISTS schema_migrations (
          version INTEGER PRIMARY KEY,
          name TEXT NOT NULL,
          applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
        )`);
      const applied = await appliedVersions(client);
      const known = new Set(migrations.map((m) => m.version));
      const unknown = [...applied].filter((version) => !known.has(version));
      if (unknown.length > 0) {
        // A newer release migrated this database; running older code on it could corrupt it.
        throw new Error(`The database has schema versions this release does not know (${unknown.join(', ')}); upgrade retouch`);
      }
      const done: number[] = [];
      for (const migration of migrations) {
        if (applied.has(migration.version)) continue;
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
        done.push(migration.version);
      }
      await client.query('COMMIT');
      return done;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
  });
}

/** An arbitrary constant that names "retouch schema migration" among advisory locks. */
const MIGRATION_LOCK = 0x7265_746f;

async function appliedVersions(client: PoolClient): Promise<Set<number>> {
  const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
  return new Set(rows.map((row) => row.version));
}

function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(
        `Migration ${migration.name} has version ${migration.version}; expected ${index + 1} (versions are 1, 2, 3, ...)`,
      );
    }
  });
}
