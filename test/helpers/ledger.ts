import assert from 'node:assert/strict';
import type { Store } from '../../src/storage/store.js';

/**
 * The invariant to hold after any fault, for one key and its account (the key being the account's only
 * spender): credits − charges = balance; the charges are the successful responses (at `priceMicros`
 * each); a usage row for every request that reserved; no open reservation once all requests ended.
 */
export async function assertLedgerAddsUp(
  store: Store,
  keyId: string,
  expected: { successes: number; priceMicros: number; requestsThatReserved?: number },
): Promise<void> {
  const key = await store.getKey(keyId);
  assert.ok(key, `no key ${keyId}`);
  const balance = await store.getBalance(key.accountId);
  const totals = await store.ledgerTotals(key.accountId);
  const usage = await store.listUsage({ keyId, limit: 100_000 });
  assert.equal(totals.creditsMicros - totals.chargesMicros, balance.balanceMicros, 'credits − charges = balance');
  assert.equal(totals.chargesMicros, expected.successes * expected.priceMicros, 'charges = successful responses');
  assert.equal(usage.filter((row) => row.chargedMicros > 0).length, expected.successes, 'one charged usage row per success');
  assert.equal(balance.reservedMicros, 0, 'no open reservation once all requests ended');
  assert.equal((await store.getKey(keyId))?.spendReservedMicros, 0, 'the key holds no reservation either');
  if (expected.requestsThatReserved !== undefined) {
    const ids = new Set(usage.map((row) => row.requestId));
    assert.equal(ids.size, usage.length, 'one usage row per request');
    assert.equal(usage.length, expected.requestsThatReserved, 'a usage row for every request that reserved');
  }
}
