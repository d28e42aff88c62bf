import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, test } from 'node:test';
import { authenticate, createApiKey, hashKey } from '../../src/accounts/api-keys.js';
import { EXPIRED_RESERVATION_STATUS, type LeaseOptions, type Store } from '../../src/storage/store.js';
import { assertLedgerAddsUp } from '../helpers/ledger.js';

/**
 * The one behaviour every Store implementation must have, run by sqlite-store.test.ts and
 * postgres-store.test.ts. A harness makes empty databases and opens instances on them; two instances on
 * one database stand for two processes (two replicas, or a server and a CLI command).
 */
export interface StoreHarness {
  /** A new, empty database; returns what `open` needs to reach it. */
  newDatabase(): Promise<string>;
  open(database: string, leases?: LeaseOptions): Store;
  /** Removes every database this harness made. */
  cleanup(): Promise<void>;
  /**
   * Moves a key's spend counter into an earlier period, as if the key had last spent then (plain SQL on
   * the database, behind the store's back: no store method can do it, and a test cannot wait a day).
   */
  backdateSpendPeriod(database: string, keyId: string, start: Date): Promise<void>;
}

const usage = (requestId: string, status = 200) => ({
  requestId,
  route: 'edit',
  model: 'm',
  status,
  durationMs: 5,
  inputPixels: 100,
  outputPixels: 100,
});

export function storeConformance(name: string, harness: StoreHarness): void {
  describe(`Store conformance: ${name}`, () => {
    const opened: Store[] = [];
    const open = (database: string, leases?: LeaseOptions) => {
      const store = harness.open(database, leases);
      opened.push(store);
      return store;
    };
    const fresh = async (leases?: LeaseOptions) => open(await harness.newDatabase(), leases);
    after(async () => {
      for (const store of opened) await store.close().catch(() => {});
      await harness.cleanup();
    });

    test('reserve holds money, commit charges it, release frees it; the ledger explains the balance', async () => {
      const store = await fresh();
      const { record } = await createApiKey(store, { creditsUsd: '0.10' });
      const a = await store.reserve(record.id, 'r1', 40_000, { route: 'edit', model: 'm' });
      const b = await store.reserve(record.id, 'r2', 40_000);
      assert.ok(a && b);
      assert.equal(await store.reserve(record.id, 'r3', 40_000), null, 'only 20,000 micros are still available');
      assert.deepEqual(await store.getBalance(record.accountId), {
        accountId: record.accountId,
        balanceMicros: 100_000,
        reservedMicros: 80_000,
        availableMicros: 20_000,
      });
      const afterCommit = await store.commit(a, usage('r1'));
      assert.equal(afterCommit.balanceMicros, 60_000);
      await store.release(b, usage('r2', 500));
      await store.release(b, usage('r2', 500));
      await assert.rejects(store.commit(b, usage('r2')), /not open/);
      await assertLedgerAddsUp(store, record.id, { successes: 1, priceMicros: 40_000, requestsThatReserved: 2 });
      const rows = await store.listUsage({ keyId: record.id });
      assert.deepEqual(
        rows.map((r) => [r.requestId, r.status, r.chargedMicros]),
        [
          ['r2', 500, 0],
          ['r1', 200, 40_000],
        ],
      );
    });

    test('keys are stored only as hashes, listed, and revoked keys no longer authenticate', async () => {
      const store = await fresh();
      const { record, key } = await createApiKey(store, { name: 'ci' });
      assert.equal((await store.findKeyByHash(hashKey(key)))?.id, record.id);
      assert.equal((await authenticate(store, key))?.id, record.id);
      assert.equal(await authenticate(store, `${key}x`), null);
      assert.equal(await store.countKeys(), 1);
      assert.deepEqual(
        (await store.listKeys()).map((k) => k.name),
        ['ci'],
      );
      assert.equal(await store.revokeKey(record.id), true);
      assert.equal(await store.revokeKey('key_nope'), false);
      assert.equal(await authenticate(store, key), null);
      assert.match((await store.getKey(record.id))!.revokedAt!, /^\d{4}-\d\d-\d\dT/);
    });

    test('concurrent reservations from two processes never hold more than the balance', async () => {
      const database = await harness.newDatabase();
      const [one, two] = [open(database), open(database)];
      const { record } = await createApiKey(one, { creditsUsd: '0.10' });
      const attempts = await Promise.all(
        Array.from({ length: 40 }, (_, i) => (i % 2 ? one : two).reserve(record.id, `r${i}`, 10_000)),
      );
      const held = attempts.filter((r) => r !== null);
      assert.equal(held.length, 10, 'exactly the balance is held');
      assert.equal((await two.getBalance(record.accountId)).availableMicros, 0);
      await Promise.all(held.map((r, i) => (i % 2 ? one : two).commit(r!, usage(r!.requestId)).catch(() => {})));
      // A reservation is committed by whichever instance holds its id; both reach the same rows.
      await assertLedgerAddsUp(one, record.id, { successes: 10, priceMicros: 10_000, requestsThatReserved: 10 });
      assert.equal((await one.getBalance(record.accountId)).balanceMicros, 0);
    });

    test('opening the database again (a CLI command, a starting replica) keeps a live process’s reservations', async () => {
      const database = await harness.newDatabase();
      const server = open(database);
      const { record } = await createApiKey(server, { creditsUsd: '1' });
      const held = (await server.reserve(record.id, 'in-flight', 250_000, { route: 'edit', model: 'm' }))!;
      const cli = open(database);
      await cli.expireReservations();
      assert.deepEqual(await cli.getBalance(record.accountId), {
        accountId: record.accountId,
        balanceMicros: 1_000_000,
        reservedMicros: 250_000,
        availableMicros: 750_000,
      });
      await cli.close();
      await server.commit(held, usage('in-flight'));
      await assertLedgerAddsUp(server, record.id, { successes: 1, priceMicros: 250_000, requestsThatReserved: 1 });
    });

    test('a reservation whose owner stopped renewing ends at expiry: uncharged, with its usage row', async () => {
      const database = await harness.newDatabase();
      const dead = open(database, { leaseMs: 400 });
      const other = open(database, { leaseMs: 400 });
      const { record } = await createApiKey(dead, { creditsUsd: '1' });
      const orphan = (await dead.reserve(record.id, 'killed', 300_000, { route: 'edit', model: 'slow' }))!;
      assert.equal(await other.expireReservations(), 0, 'not before its lease ends');
      await sleep(700);
      assert.equal(await other.expireReservations(), 1);
      assert.equal(await other.expireReservations(), 0, 'ended once');
      const [row] = await other.listUsage({ keyId: record.id });
      assert.deepEqual(
        [row.requestId, row.route, row.model, row.status, row.chargedMicros],
        ['killed', 'edit', 'slow', EXPIRED_RESERVATION_STATUS, 0],
      );
      await assert.rejects(dead.commit(orphan, usage('killed')), /not open/, 'a late commit charges nothing');
      await assertLedgerAddsUp(other, record.id, { successes: 0, priceMicros: 300_000, requestsThatReserved: 1 });
      assert.equal((await other.getBalance(record.accountId)).availableMicros, 1_000_000);
    });

    test('an owner that renews keeps its reservation past the lease; renewal stops once it is ended', async () => {
      const database = await harness.newDatabase();
      const owner = open(database, { leaseMs: 400 });
      const sweeper = open(database, { leaseMs: 400 });
      const { record } = await createApiKey(owner, { creditsUsd: '1' });
      const held = (await owner.reserve(record.id, 'slow', 100_000))!;
      for (let i = 0; i < 8; i++) {
        assert.equal(await owner.renewLeases(), 1);
        await sleep(100);
        assert.equal(await sweeper.expireReservations(), 0);
      }
      assert.equal(await sweeper.renewLeases(), 0, 'another process renews nothing of it');
      await owner.commit(held, usage('slow'));
      assert.equal(await owner.renewLeases(), 0);
      await assertLedgerAddsUp(owner, record.id, { successes: 1, priceMicros: 100_000, requestsThatReserved: 1 });
    });

    test('idempotency records: stored, replaced, and ignored after the retention window', async () => {
      const store = await fresh();
      const { record } = await createApiKey(store);
      const put = (hash: string, createdAt: Date) =>
        store.putIdempotent({
          keyId: record.id,
          idempotencyKey: 'k',
          requestHash: hash,
          body: Buffer.from(hash),
          contentType: 'image/png',
          chargedMicros: 1,
          createdAt,
          blurred: hash === 'new',
          ...(hash === 'new' ? { enhancedPrompt: 'a red barn at dusk' } : {}),
        });
      await put('old', new Date(Date.now() - 25 * 3_600_000));
      assert.equal(await store.getIdempotent(record.id, 'k', new Date(Date.now() - 24 * 3_600_000)), null);
      await put('new', new Date());
      const found = await store.getIdempotent(record.id, 'k', new Date(Date.now() - 24 * 3_600_000));
      assert.equal(found?.requestHash, 'new');
      assert.deepEqual(found?.body, Buffer.from('new'));
      assert.equal(found?.chargedMicros, 1);
      assert.deepEqual([found?.blurred, found?.enhancedPrompt], [true, 'a red barn at dusk']);
      // A record without them reads back as not blurred, with no enhanced prompt.
      await store.putIdempotent({ ...found!, idempotencyKey: 'plain', blurred: false, enhancedPrompt: undefined });
      const plain = await store.getIdempotent(record.id, 'plain', new Date(Date.now() - 24 * 3_600_000));
      assert.deepEqual([plain?.blurred, plain?.enhancedPrompt], [false, undefined]);
    });

    test('usage rows filtered by key and time, newest first', async () => {
      const store = await fresh();
      const { record } = await createApiKey(store, { creditsUsd: '1' });
      const since = new Date(Date.now() - 1_000);
      for (const id of ['a', 'b']) await store.release((await store.reserve(record.id, id, 1))!, usage(id, 500));
      assert.deepEqual(
        (await store.listUsage({ keyId: record.id, since })).map((r) => r.requestId),
        ['b', 'a'],
      );
      assert.deepEqual(await store.listUsage({ keyId: 'key_other' }), []);
      assert.equal((await store.listUsage({ since: new Date(Date.now() + 60_000) })).length, 0);
      assert.equal((await store.listUsage({ keyId: record.id, limit: 1 })).length, 1);
    });
  });
}
