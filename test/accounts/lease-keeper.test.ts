import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { LeaseKeeper } from '../../src/accounts/lease-keeper.js';
import { createApiKey } from '../../src/accounts/api-keys.js';
import { SqliteStore } from '../../src/storage/sqlite-store.js';

const quiet = { warn() {} };

test('a running keeper keeps its own reservations past the lease and ends a dead process’s', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'retouch-keeper-'));
  const path = join(dir, 'db.sqlite');
  const live = new SqliteStore(path, { leaseMs: 300 });
  const dead = new SqliteStore(path, { leaseMs: 300 });
  const keeper = new LeaseKeeper(live, 300, quiet);
  try {
    const { record } = await createApiKey(live, { creditsUsd: '1' });
    const mine = (await live.reserve(record.id, 'mine', 100_000))!;
    await dead.reserve(record.id, 'orphan', 200_000);
    keeper.start();
    await sleep(1_000);
    const balance = await live.getBalance(record.accountId);
    assert.equal(balance.reservedMicros, 100_000, 'the orphan expired, the renewed one is held');
    await live.commit(mine, {
      requestId: 'mine',
      route: 'edit',
      model: 'm',
      status: 200,
      durationMs: 1,
      inputPixels: 1,
      outputPixels: 1,
    });
    const rows = await live.listUsage({ keyId: record.id });
    assert.deepEqual(
      rows.map((r) => [r.requestId, r.status, r.chargedMicros]),
      [
        ['mine', 200, 100_000],
        ['orphan', 500, 0],
      ],
    );
  } finally {
    await keeper.stop();
    await live.close();
    await dead.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a keeper whose store fails logs and goes on', async () => {
  const warnings: string[] = [];
  const failing = {
    renewLeases: async () => {
      throw new Error('database down');
    },
    expireReservations: async () => 0,
  } as unknown as SqliteStore;
  const keeper = new LeaseKeeper(failing, 300, { warn: (_o, message) => warnings.push(message) });
  keeper.start();
  await sleep(250);
  await keeper.stop();
  assert.ok(warnings.length >= 2, `warned ${warnings.length} times`);
});
