import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/storage/sqlite-store.js';
import { accountConformance } from './account-conformance.js';
import { type StoreHarness, storeConformance } from './store-conformance.js';

/** The embedded store: each "database" is a file in a temporary folder, so two instances can share it. */
const dir = mkdtempSync(join(tmpdir(), 'retouch-store-'));
let count = 0;

const harness: StoreHarness = {
  async newDatabase() {
    return join(dir, `db-${++count}.sqlite`);
  },
  open: (path, leases) => new SqliteStore(path, leases),
  async cleanup() {
    rmSync(dir, { recursive: true, force: true });
  },
  async backdateSpendPeriod(path, keyId, start) {
    const db = new Database(path);
    try {
      db.pragma('busy_timeout = 5000');
      db.prepare('UPDATE api_keys SET spend_period_start = ? WHERE id = ?').run(start.toISOString(), keyId);
    } finally {
      db.close();
    }
  },
};

storeConformance('SQLite', harness);
accountConformance('SQLite', harness);
