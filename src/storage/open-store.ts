import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { PostgresStore } from './postgres/postgres-store.js';
import { SqliteStore } from './sqlite-store.js';
import type { Store } from './store.js';

/**
 * The configured store: PostgreSQL when `database.url` (RETOUCH_DATABASE_URL) is set, so that replicas
 * share keys and money; otherwise the embedded SQLite file under `dataDir`.
 */
export function openStore(config: Config, onDatabaseError: (error: Error) => void = () => {}): Store {
  const leases = { leaseMs: config.leaseMs };
  if (config.database.url) {
    return new PostgresStore(
      { connectionString: config.database.url, poolSize: config.database.poolSize, ...leases },
      onDatabaseError,
    );
  }
  return new SqliteStore(join(config.dataDir, 'retouch.db'), leases);
}
