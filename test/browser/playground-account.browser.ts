import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { authenticate, createApiKey } from '../../src/accounts/api-keys.js';
import { samplePng } from '../helpers/test-app.js';
import { assertStayedHome, shot } from './page-actions.js';
import { startHarness, type Harness } from './playground-harness.js';

/**
 * The playground's account view in a real Chromium: hidden for an INFERENCE key; for an ADMIN key, the
 * account's keys, the balance and the usage charts; creating a key shows its secret once (copyable) and
 * the key works; revoking one takes it away; the usage downloads as Venice's CSV.
 */
let h: Harness;
let page: Page;
let adminKey: string;

before(async () => {
  h = await startHarness();
  adminKey = (await createApiKey(h.store, { accountId: h.accountId, type: 'ADMIN', name: 'ops' })).key;
  // Two charged edits, so the usage charts have something to show.
  const image = (await samplePng(320, 240)).toString('base64');
  for (let i = 0; i < 2; i++) {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/image/edit',
      headers: { authorization: `Bearer ${h.key}` },
      payload: { model: 'local-edit', prompt: 'make it black and white', image },
    });
    assert.equal(res.statusCode, 200, res.body);
  }
  await h.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.url });
  page = await h.context.newPage();
  await page.goto(`${h.url}/`);
});
after(async () => {
  await h.close();
  assertStayedHome(h, []);
});

async function useKey(key: string): Promise<void> {
  await page.locator('#api-key').fill(key);
  await page.locator('#key-save').click();
}

test('an INFERENCE key sees no account view; an ADMIN key sees its keys, balance and usage', async () => {
  await useKey(h.key);
  await page.waitForTimeout(300);
  assert.equal(await page.locator('#account').isHidden(), true);
  await useKey(adminKey);
  await page.locator('#account[data-state="ready"]').waitFor();
  assert.equal(await page.locator('#account-balance').textContent(), '$4.98');
  const rows = await page.locator('#keys-body tr').allTextContents();
  assert.equal(rows.length, 2);
  assert.match(rows[0], /^opsADMIN…\S{6}none/);
  assert.match(rows[1], /^browserINFERENCE/);
  assert.equal(await page.locator('#usage-by-model rect.bar').count(), 1, 'one model charged');
  assert.equal(await page.locator('#usage-by-model text.bar-label').textContent(), 'local-edit');
  assert.equal(await page.locator('#usage-by-model rect title').textContent(), 'local-edit: $0.0200');
  assert.equal(await page.locator('#usage-by-day rect.bar').count(), 1, 'one day');
  await shot(page, 'account-01-view');
});

test('creating a key shows its secret once with a copy button; the key works; revoking it takes it away', async () => {
  await page.locator('#new-key-description').fill('cust:acme');
  await page.locator('#new-key-limit').fill('5');
  await page.locator('#new-key-period').selectOption('MONTH');
  await page.locator('#key-create button[type="submit"]').click();
  await page.locator('#new-secret').waitFor({ state: 'visible' });
  const secret = (await page.locator('#new-secret-value').textContent()) ?? '';
  assert.match(secret, /^rt_[A-Za-z0-9_-]{43}$/);
  await page.locator('#copy-secret').click();
  // The clipboard write is asynchronous; the button says so once it has finished.
  await page.locator('#copy-secret', { hasText: 'Copied' }).waitFor({ timeout: 5_000 });
  assert.equal(await page.evaluate('navigator.clipboard.readText()'), secret);
  const created = await authenticate(h.store, secret);
  assert.ok(created);
  assert.deepEqual([created.type, created.limits.usdMicros, created.limits.period], ['INFERENCE', 5_000_000, 'MONTH']);
  const row = page.locator(`#keys-body tr[data-key-id="${created.id}"]`);
  assert.match((await row.textContent()) ?? '', /^cust:acmeINFERENCE…\S{6}\$5 per month\$0\.0000nevernever/);
  assert.equal(await page.evaluate('localStorage.length'), 1, 'only the page key is stored, never the new secret');
  await shot(page, 'account-02-created');

  page.once('dialog', (dialog) => void dialog.accept());
  await row.locator('button[data-revoke]').click();
  await row.waitFor({ state: 'detached' });
  assert.equal(await authenticate(h.store, secret), null, 'the revoked key no longer works');
});

test('the usage downloads as CSV with Venice’s columns', async () => {
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#usage-csv').click()]);
  assert.match(download.suggestedFilename(), /^retouch-usage-\d{4}-\d\d-\d\d\.csv$/);
  const lines = readFileSync(await download.path(), 'utf8')
    .trim()
    .split('\r\n');
  assert.match(lines[0], /^timestamp,sku,pricePerUnitUsd,units,amount,currency,notes,inferenceDetails\.requestId/);
  assert.equal(lines.length, 3);
  assert.match(lines[1], /,local-edit-edit,0\.01,1,-0\.01,USD,API Inference,/);
});
