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
};

storeConformance('SQLite', harness);
accountConformance('SQLite', harness);
