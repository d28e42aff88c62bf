import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { authenticate, createAccount, createApiKey } from '../../src/accounts/api-keys.js';
import { periodStart } from '../../src/storage/spend-period.js';
import type { LeaseOptions, Store } from '../../src/storage/store.js';
import type { StoreHarness } from './store-conformance.js';

/**
 * Accounts and keys, the second half of the store conformance suite (run by the same harnesses): accounts
 * hold the money and their keys spend it; a key's spend limit, expiry and revocation are checked in the
 * same atomic step as the reservation; every change of a key is in the audit trail.
 */
const usage = (requestId: string) => ({
  requestId,
  route: 'edit',
  model: 'm',
  status: 200,
  durationMs: 5,
  inputPixels: 1,
  outputPixels: 1,
});

const USD = 1_000_000;

export function accountConformance(name: string, harness: StoreHarness): void {
  describe(`Store conformance, accounts: ${name}`, () => {
    const opened: Store[] = [];
    const open = (database: string, leases?: LeaseOptions) => {
      const store = harness.open(database, leases);
      opened.push(store);
      return store;
    };
    const fresh = async () => open(await harness.newDatabase());
    after(async () => {
      for (const store of opened) await store.close().catch(() => {});
      await harness.cleanup();
    });

    test('two keys spend one account’s money; credits go to the account', async () => {
      const store = await fresh();
      const account = await createAccount(store, { name: 'team', creditsUsd: '1' });
      const admin = await createApiKey(store, { accountId: account.id, type: 'ADMIN', name: 'ops' });
      const app = await createApiKey(store, { accountId: account.id, name: 'app' });
      assert.deepEqual([admin.record.type, app.record.type], ['ADMIN', 'INFERENCE']);
      const a = (await store.reserve(admin.record.id, 'a', 600_000))!;
      assert.equal(await store.reserve(app.record.id, 'b', 600_000), null, 'the account holds 1 USD for both keys');
      await store.commit(a, usage('a'));
      await store.addCredits(account.id, USD, 'top-up', admin.record.id);
      assert.equal((await store.getBalance(account.id)).balanceMicros, 1_400_000);
      assert.deepEqual(
        (await store.listKeys(account.id)).map((k) => k.name),
        ['ops', 'app'],
      );
      assert.deepEqual(
        (await store.listUsage({ accountId: account.id })).map((r) => [r.keyId, r.accountId]),
        [[admin.record.id, account.id]],
      );
      assert.equal((await store.keyChargesSince(account.id, new Date(Date.now() - 60_000))).get(admin.record.id), 600_000);
    });

    test('a spend limit holds exactly under concurrency from two processes, while the account has plenty', async () => {
      const database = await harness.newDatabase();
      const [one, two] = [open(database), open(database)];
      const limits = { usdMicros: 50_000, diem: null, period: 'EPOCH' as const };
      const { record } = await createApiKey(one, { creditsUsd: '100', limits });
      const admissions = await Promise.all(
        Array.from({ length: 40 }, (_, i) => (i % 2 ? one : two).admit(record.id, `r${i}`, 10_000)),
      );
      const held = admissions.filter((a) => a.reservation);
      assert.equal(held.length, 5);
      assert.ok(admissions.filter((a) => !a.reservation).every((a) => a.refused === 'key-limit'));
      // A release gives the room back; a commit keeps it used for the rest of the period.
      await one.release(held[0].reservation!, usage('r-released'));
      for (const { reservation } of held.slice(1)) await one.commit(reservation!, usage(reservation!.requestId));
      const key = (await one.getKey(record.id))!;
      assert.deepEqual([key.spendMicros, key.spendReservedMicros], [40_000, 0]);
      assert.ok(await two.reserve(record.id, 'last', 10_000));
      assert.equal((await two.admit(record.id, 'over', 1)).refused, 'key-limit');
      assert.equal((await one.getBalance(record.accountId)).availableMicros, 100 * USD - 50_000);
    });

    test('a new period restarts the key’s counter, at admission and at settlement, for each kind of period', async () => {
      const database = await harness.newDatabase();
      const store = open(database);
      const yesterday = new Date(periodStart('EPOCH', new Date()).getTime() - 86_400_000);
      const limits = { usdMicros: 50_000, diem: null, period: 'EPOCH' as const };
      const { record } = await createApiKey(store, { creditsUsd: '10', limits });
      await store.commit((await store.reserve(record.id, 'a', 30_000))!, usage('a'));
      // Yesterday's 30,000 no longer count: 40,000 fits under the limit of 50,000 today.
      await harness.backdateSpendPeriod(database, record.id, yesterday);
      const today = (await store.admit(record.id, 'b', 40_000)).reservation!;
      assert.ok(today, 'admitted in the new period');
      await store.commit(today, usage('b'));
      let key = (await store.getKey(record.id))!;
      assert.deepEqual([key.spendMicros, key.spendPeriodStart], [40_000, periodStart('EPOCH', new Date()).toISOString()]);
      // A reservation made in one period and charged in the next counts in the next one only.
      const open1 = (await store.reserve(record.id, 'c', 10_000))!;
      await harness.backdateSpendPeriod(database, record.id, yesterday);
      await store.commit(open1, usage('c'));
      key = (await store.getKey(record.id))!;
      assert.deepEqual([key.spendMicros, key.spendReservedMicros], [10_000, 0]);
      assert.equal(key.spendPeriodStart, periodStart('EPOCH', new Date()).toISOString());
      // MONTH and LIFETIME keys keep counting across days (their period starts stay as they are).
      for (const period of ['MONTH', 'LIFETIME'] as const) {
        const other = await createApiKey(store, { creditsUsd: '10', limits: { ...limits, period } });
        await store.commit((await store.reserve(other.record.id, 'd', 30_000))!, usage('d'));
        await store.commit((await store.reserve(other.record.id, 'e', 20_000))!, usage('e'));
        const counted = (await store.getKey(other.record.id))!;
        assert.deepEqual(
          [counted.spendMicros, counted.spendPeriodStart],
          [50_000, periodStart(period, new Date()).toISOString()],
        );
        assert.equal((await store.admit(other.record.id, 'f', 1)).refused, 'key-limit', period);
      }
    });

    test('a refusal says why: an inactive key before a short balance, a short balance before a spend limit', async () => {
      const store = await fresh();
      const account = await createAccount(store, { creditsUsd: '1' });
      const limits = { usdMicros: 10_000, diem: null, period: 'EPOCH' as const };
      const limited = await createApiKey(store, { accountId: account.id, limits });
      const revoked = await createApiKey(store, { accountId: account.id });
      await store.revokeKey(revoked.record.id, 'cli');
      assert.equal((await store.admit('key_unknown', 'x', 1)).refused, 'key-inactive');
      assert.equal((await store.admit(revoked.record.id, 'x', 2 * USD)).refused, 'key-inactive');
      assert.equal((await store.admit(limited.record.id, 'x', 2 * USD)).refused, 'balance');
      assert.equal((await store.admit(limited.record.id, 'x', 20_000)).refused, 'key-limit');
      // Refusals hold nothing back, on the account or on the key.
      assert.equal((await store.getBalance(account.id)).reservedMicros, 0);
      assert.equal((await store.getKey(limited.record.id))?.spendReservedMicros, 0);
      assert.ok(await store.reserve(limited.record.id, 'y', 10_000));
    });

    test('changing the period recounts the spend from the ledger; raising the limit lets the key spend again', async () => {
      const store = await fresh();
      const { record } = await createApiKey(store, { creditsUsd: '10' });
      for (const id of ['a', 'b']) await store.commit((await store.reserve(record.id, id, 30_000))!, usage(id));
      const limited = await store.updateKey(
        record.accountId,
        record.id,
        { limits: { usdMicros: 60_000 }, period: 'LIFETIME' },
        'key_admin',
      );
      assert.deepEqual([limited?.limits.usdMicros, limited?.limits.period, limited?.spendMicros], [60_000, 'LIFETIME', 60_000]);
      assert.equal(limited?.spendPeriodStart, periodStart('LIFETIME', new Date()).toISOString());
      assert.equal((await store.admit(record.id, 'c', 1)).refused, 'key-limit');
      await store.updateKey(record.accountId, record.id, { limits: { usdMicros: null } }, 'key_admin');
      assert.ok(await store.reserve(record.id, 'c', 1));
      assert.equal(
        await store.updateKey('acct_other', record.id, { description: 'x' }, 'key_admin'),
        null,
        'another account’s key',
      );
    });

    test('expiry and revocation refuse at once; revocation is scoped to the account and audited with its actor', async () => {
      const store = await fresh();
      const account = await createAccount(store, { creditsUsd: '1' });
      const expired = await createApiKey(store, { accountId: account.id, expiresAt: new Date(Date.now() - 1000).toISOString() });
      assert.equal(await authenticate(store, expired.key), null);
      assert.equal((await store.admit(expired.record.id, 'x', 1)).refused, 'key-inactive');
      const live = await createApiKey(store, { accountId: account.id, actor: 'key_boss' });
      assert.ok(await authenticate(store, live.key));
      assert.equal(await store.revokeKey(live.record.id, 'key_boss', 'acct_other'), false);
      assert.equal(await store.revokeKey(live.record.id, 'key_boss', account.id), true);
      assert.equal(await authenticate(store, live.key), null);
      assert.equal((await store.admit(live.record.id, 'y', 1)).refused, 'key-inactive');
      const trail = await store.listAudit(account.id);
      assert.deepEqual(
        trail.map((row) => [row.action, row.actor, row.keyId]),
        [
          ['credit', 'cli', null],
          ['create', 'cli', expired.record.id],
          ['create', 'key_boss', live.record.id],
          ['revoke', 'key_boss', live.record.id],
        ],
      );
      assert.doesNotMatch(JSON.stringify(trail), new RegExp(live.key), 'no secret in the audit trail');
    });

    test('charges page oldest first by ledger position, within a time window; limit breaches keep the newest 50', async () => {
      const store = await fresh();
      const { record } = await createApiKey(store, { creditsUsd: '1' });
      for (let i = 0; i < 5; i++) await store.commit((await store.reserve(record.id, `r${i}`, 1_000))!, usage(`r${i}`));
      await store.release((await store.reserve(record.id, 'failed', 1_000))!, usage('failed'));
      const first = await store.chargesPage({ accountId: record.accountId, afterId: 0, limit: 3 });
      assert.deepEqual(
        first.map((r) => r.requestId),
        ['r0', 'r1', 'r2'],
      );
      const rest = await store.chargesPage({ accountId: record.accountId, afterId: first[2].id, limit: 3 });
      assert.deepEqual(
        rest.map((r) => r.requestId),
        ['r3', 'r4'],
      );
      const future = new Date(Date.now() + 60_000);
      assert.equal((await store.chargesPage({ accountId: record.accountId, afterId: 0, start: future, limit: 10 })).length, 0);
      assert.equal((await store.chargesPage({ accountId: 'acct_other', afterId: 0, limit: 10 })).length, 0);
      for (let i = 0; i < 55; i++) {
        await store.recordLimitBreach({ accountId: record.accountId, keyId: record.id, modelId: `m${i}`, type: 'RPM' });
      }
      const breaches = await store.listLimitBreaches(record.accountId);
      assert.equal(breaches.length, 50);
      assert.equal(breaches[0].modelId, 'm54', 'newest first');
    });
  });
}
