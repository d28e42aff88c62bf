import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { type ConfigError, loadConfig } from '../../src/config/load.js';
import { openStore } from '../../src/storage/open-store.js';
import { PostgresStore } from '../../src/storage/postgres/postgres-store.js';
import { SqliteStore } from '../../src/storage/sqlite-store.js';

test('no database URL: the SQLite file in the data folder; RETOUCH_DATABASE_URL: PostgreSQL', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'retouch-open-'));
  try {
    const embedded = openStore(loadConfig({ env: { RETOUCH_DATA_DIR: dir } }));
    assert.ok(embedded instanceof SqliteStore);
    await embedded.close();
    const config = loadConfig({
      env: {
        RETOUCH_DATABASE_URL: 'postgres://u@127.0.0.1:1/x',
        RETOUCH_REDIS_URL: 'redis://127.0.0.1:6379',
        RETOUCH_REDIS_PREFIX: 'p:',
      },
    });
    assert.deepEqual(
      [config.database.url, config.redis.url, config.redis.keyPrefix],
      ['postgres://u@127.0.0.1:1/x', 'redis://127.0.0.1:6379', 'p:'],
    );
    const shared = openStore(config);
    assert.ok(shared instanceof PostgresStore);
    // An unreachable database is an error on first use: the service's 503, with the socket's error as cause.
    await assert.rejects(shared.countKeys(), (error: Error & { status?: number }) => {
      assert.equal(error.status, 503);
      assert.match(String((error.cause as Error | undefined)?.message), /ECONNREFUSED|connect/);
      return true;
    });
    await shared.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('URLs of the wrong kind are configuration errors', () => {
  assert.throws(
    () => loadConfig({ env: { RETOUCH_DATABASE_URL: 'mysql://x' } }),
    (error: ConfigError) => /database\.url/.test(error.message),
  );
  assert.throws(
    () => loadConfig({ env: { RETOUCH_REDIS_URL: 'http://x' } }),
    (error: ConfigError) => /redis\.url/.test(error.message),
  );
});
