import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { createApiKey } from '../../src/accounts/api-keys.js';
import { createTestApp, samplePng, type TestApp } from '../helpers/test-app.js';

/**
 * A program written from Venice's documentation of key management and billing (the "Managing API keys"
 * guide and the billing reference), run unchanged against this server over a real socket: it creates a
 * per-customer INFERENCE key with a cap, checks it, uses it, lowers the cap, walks the usage history
 * page by page and as CSV, and revokes the key. Only the base URL and the ADMIN key are this server's.
 */
/** A documented program reads JSON without types. */
const json = async (response: Response): Promise<any> => response.json();

async function veniceKeyProgram(base: string, adminKey: string, image: string) {
  const admin = { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json' };
  const log: string[] = [];

  const created = await fetch(`${base}/api_keys`, {
    method: 'POST',
    headers: admin,
    body: JSON.stringify({
      apiKeyType: 'INFERENCE',
      description: 'cust:acme',
      consumptionLimit: { usd: 5 },
      limitPeriod: 'MONTH',
    }),
  }).then(json);
  const { id, apiKey } = created.data;
  const customer = { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' };

  const { data: health } = await fetch(`${base}/api_keys/rate_limits`, { headers: customer }).then(json);
  if (!health.accessPermitted) throw new Error('Key blocked — top up or raise its limit');
  log.push(`balance ${health.balances.USD}`);

  const runEdit = () =>
    fetch(`${base}/image/edit`, {
      method: 'POST',
      headers: customer,
      body: JSON.stringify({ prompt: 'make it black and white', image }),
    });
  for (let i = 0; i < 3; i++) log.push(`edit ${(await runEdit()).status}`);

  await fetch(`${base}/api_keys`, {
    method: 'PATCH',
    headers: admin,
    body: JSON.stringify({ id, consumptionLimit: { usd: 0.03 } }),
  });
  const capped = await runEdit();
  log.push(`capped ${capped.status}: ${(await json(capped)).error}`);

  const { data: key } = await fetch(`${base}/api_keys/${id}`, { headers: admin }).then(json);
  log.push(`spent this period ${key.currentPeriodUsage.usd}`);

  const rows: unknown[] = [];
  let url = `${base}/billing/usage-history?startTimestamp=2026-01-01T00:00:00Z&pageSize=10`;
  for (;;) {
    const page = await fetch(url, { headers: admin }).then(json);
    rows.push(...page.data);
    if (page.nextCursor === null) break;
    url = `${base}/billing/usage-history?cursor=${encodeURIComponent(page.nextCursor)}`;
  }
  log.push(`history ${rows.length} rows`);
  const csv = await fetch(`${base}/billing/usage-history?pageSize=1000`, { headers: { ...admin, Accept: 'text/csv' } });
  log.push(`csv ${csv.headers.get('content-disposition')?.startsWith('attachment') ? 'attachment' : 'inline'}`);

  const revoked = await fetch(`${base}/api_keys?id=${id}`, { method: 'DELETE', headers: admin }).then(json);
  log.push(`revoked ${revoked.success}`);
  log.push(`after revoke ${(await runEdit()).status}`);
  const { data: live } = await fetch(`${base}/api_keys`, { headers: admin }).then(json);
  log.push(`listed ${live.some((k: { id: string }) => k.id === id)}`);
  const balance = await fetch(`${base}/billing/balance`, { headers: admin }).then(json);
  log.push(`canConsume ${balance.canConsume}`);
  return { log, rows };
}

let t: TestApp;
let base: string;
let adminKey: string;
before(async () => {
  t = await createTestApp({ creditsUsd: '3', config: { rateLimits: { enabled: false }, defaultEditModel: 'test-edit' } });
  adminKey = (await createApiKey(t.store, { accountId: t.accountId, type: 'ADMIN', name: 'ops' })).key;
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/api/v1`;
});
after(() => t?.app.close());

test("a program written from Venice's key-management and billing docs works unchanged", async () => {
  const image = (await samplePng(320, 240)).toString('base64');
  const { log, rows } = await veniceKeyProgram(base, adminKey, image);
  assert.deepEqual(log, [
    'balance 3',
    'edit 200',
    'edit 200',
    'edit 200',
    'capped 402: API key USD spend limit exceeded. Your account may still have USD balance, but this API key has reached its configured USD spending limit.',
    'spent this period 0.0300',
    'history 3 rows',
    'csv attachment',
    'revoked true',
    'after revoke 401',
    'listed false',
    'canConsume true',
  ]);
  assert.ok(rows.every((row) => (row as { amount: number }).amount === -0.01));
});
