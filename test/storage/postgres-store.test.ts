import pg from 'pg';
import { PostgresStore } from '../../src/storage/postgres/postgres-store.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { accountConformance } from './account-conformance.js';
import { type StoreHarness, storeConformance } from './store-conformance.js';

/** The PostgreSQL store on the machine's server: a new database per case, dropped at the end. */
const databases: TestDatabase[] = [];

const harness: StoreHarness = {
  async newDatabase() {
    const database = await createTestDatabase();
    databases.push(database);
    return database.url;
  },
  open: (url, leases) => new PostgresStore({ connectionString: url, poolSize: 8, ...leases }),
  async cleanup() {
    for (const database of databases) await database.drop();
  },
  async backdateSpendPeriod(url, keyId, start) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('UPDATE api_keys SET spend_period_start = $2 WHERE id = $1', [keyId, start]);
    } finally {
      await client.end();
    }
  },
};

storeConformance('PostgreSQL', harness);
accountConformance('PostgreSQL', harness);
