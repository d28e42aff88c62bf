import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { PLAYGROUND_CSP } from '../../src/http/routes/playground.js';
import { COFFEE, assertStayedHome, chooseOperation, loadImage, shot } from './page-actions.js';
import { outcome, startHarness, startPrefixProxy, type Harness } from './playground-harness.js';

/**
 * The playground as a page, in a real Chromium against a real server: its policy and model list, every
 * kind of error as the API sent it, cancelling a slow request, small screens and a path prefix.
 * Screenshots of each state go to test-artefacts/playground/.
 */

let h: Harness;
let page: Page;
/** The prefix proxy's origin, which the page may talk to too. */
const proxies: string[] = [];

before(async () => {
  h = await startHarness();
  page = await h.context.newPage();
});
after(async () => {
  await h.close();
  assertStayedHome(h, proxies);
});

test('the page loads without a key, under a strict CSP, and lists the models with their constraints', async () => {
  const response = await page.goto(`${h.url}/`);
  assert.equal(response?.status(), 200);
  assert.equal(response?.headers()['content-security-policy'], PLAYGROUND_CSP);
  await page.locator('#model option[value="local-edit"]').waitFor({ state: 'attached' });
  await page.locator('#model').selectOption('local-edit');
  const info = await page.locator('#model-info').textContent();
  assert.match(info ?? '', /aspectRatios/);
  assert.match(info ?? '', /understands \(\d+ instructions\)/, "local-edit's vocabulary is shown");
  assert.equal(await page.locator('#field-aspect_ratio').count(), 1, 'aspect ratio comes from the constraints');
  const offline = page.locator('#model option[value="studio-edit"]');
  assert.equal(await offline.textContent(), 'studio-edit (offline: no openai endpoint configured)');
  assert.equal(await offline.isDisabled(), true, 'an offline model is listed but cannot be chosen');
  await shot(page, '01-start');
});

test('a wrong key shows the 401 as the API sent it', async () => {
  await page.locator('#api-key').fill('rt_this-is-not-a-key');
  await loadImage(page, COFFEE);
  await page.locator('#prompt').fill('make it black and white');
  await page.locator('#run').click();
  const text = await outcome(page, 'error');
  assert.equal(await page.locator('#status').getAttribute('data-http-status'), '401');
  assert.match(text, /^401 Authentication failed: the API key is unknown, revoked or expired/);
  await shot(page, '02-wrong-key-401');
  // Save keeps the key in this browser; Forget removes it from storage and from the field.
  await page.locator('#key-save').click();
  assert.equal(await page.evaluate('localStorage.getItem("retouch.apiKey")'), 'rt_this-is-not-a-key');
  await page.locator('#key-forget').click();
  assert.equal(await page.evaluate('localStorage.getItem("retouch.apiKey")'), null);
  assert.equal(await page.locator('#api-key').inputValue(), '');
});

test('a URL of another site is sent to the server, never loaded by the page, and its refusal is shown', async () => {
  await page.locator('#api-key').fill(h.key);
  await page.locator('#url-input').fill('http://images.example.invalid/cat.png');
  await page.locator('#url-form button').click();
  await page.locator('#stage-empty', { hasText: 'The server fetches this URL' }).waitFor();
  await page.locator('#prompt').fill('make it black and white');
  await page.locator('#run').click();
  const text = await outcome(page, 'error');
  assert.match(text, /^400 /, text);
  await shot(page, '05c-remote-url-refused');
});

test("a refused prompt shows the server's message", async () => {
  await chooseOperation(page, 'edit');
  await page.locator('#model').selectOption('local-edit');
  await loadImage(page, COFFEE);
  await page.locator('#prompt').fill('undress the woman');
  await page.locator('#run').click();
  const text = await outcome(page, 'error');
  assert.equal(await page.locator('#status').getAttribute('data-http-status'), '422');
  assert.match(text, /^422 Your prompt violates the content policy of Venice\.ai or the model provider.*explicit sexual content/);
  await shot(page, '07-refused-prompt');
});

test('cancel during a slow request leaves the balance unchanged', async () => {
  const before = await h.store.getBalance(h.accountId);
  const shownBalance = await page.locator('#balance').textContent();
  await page.locator('#model').selectOption('qwen-edit');
  await page.locator('#prompt').fill('make it look like a watercolour painting');
  await page.locator('#run').click();
  // Wait until the backend really works on it and the price is reserved.
  const deadline = Date.now() + 10_000;
  while ((h.comfy.prompts.length === 0 || (await h.store.getBalance(h.accountId)).reservedMicros === 0) && Date.now() < deadline)
    await page.waitForTimeout(50);
  assert.equal((await h.store.getBalance(h.accountId)).reservedMicros, 40_000, 'the price is reserved while it runs');
  await shot(page, '08-running');
  await page.locator('#cancel').click();
  await outcome(page, 'cancelled');
  await shot(page, '09-cancelled');
  const until = Date.now() + 10_000;
  while ((await h.store.getBalance(h.accountId)).reservedMicros !== 0 && Date.now() < until) await page.waitForTimeout(50);
  const afterCancel = await h.store.getBalance(h.accountId);
  assert.equal(afterCancel.reservedMicros, 0, 'the reservation is released');
  assert.equal(afterCancel.balanceMicros, before.balanceMicros, 'nothing is charged');
  assert.equal(await page.locator('#balance').textContent(), shownBalance);
});

test('upscale, when the server has an upscale model', async (t) => {
  const models = (await (await fetch(`${h.url}/api/v1/models`)).json()) as {
    data: Array<{ id: string; type: string; model_spec: { offline?: boolean } }>;
  };
  const upscaler = models.data.find((m) => m.type === 'upscale' && !m.model_spec.offline);
  if (!upscaler) {
    t.skip('no online upscale model on this server');
    return;
  }
  await chooseOperation(page, 'upscale');
  await loadImage(page, COFFEE);
  await page.locator('#field-scale').selectOption('2');
  await page.locator('#run').click();
  await outcome(page, 'done', 300_000);
  assert.equal(await page.locator('#result-image').getAttribute('data-width'), '1200');
  await shot(page, '10-upscaled');
});

test('usable on a phone (390x844) and at 200% zoom: nothing wider than the screen', async () => {
  // 200% zoom of a 1280x800 window leaves a 640x400 CSS-pixel viewport.
  for (const [name, viewport] of [
    ['11-phone', { width: 390, height: 844 }],
    ['12-zoom-200', { width: 640, height: 400 }],
  ] as const) {
    const small = await h.context.newPage();
    await small.setViewportSize(viewport);
    await small.goto(`${h.url}/playground`);
    await small.locator('#model option').first().waitFor({ state: 'attached' });
    await loadImage(small, COFFEE);
    const width = Number(await small.evaluate('document.documentElement.scrollWidth'));
    assert.ok(width <= viewport.width, `${name}: page is ${width}px wide in a ${viewport.width}px viewport`);
    await shot(small, name);
    await small.close();
  }
});

test('the page works behind a path prefix', async () => {
  const proxy = await startPrefixProxy(h.url);
  proxies.push(proxy.url);
  try {
    const prefixed = await h.context.newPage();
    const seen: string[] = [];
    prefixed.on('request', (r) => seen.push(r.url()));
    await prefixed.goto(`${proxy.url}playground`);
    // Another origin (the proxy's port), so another localStorage: the key is typed again.
    await prefixed.locator('#api-key').fill(h.key);
    await prefixed.locator('#model option[value="local-edit"]').waitFor({ state: 'attached' });
    await loadImage(prefixed, COFFEE);
    await prefixed.locator('#prompt').fill('make it black and white');
    await prefixed.locator('#model').selectOption('local-edit');
    await prefixed.locator('#run').click();
    await outcome(prefixed, 'done');
    assert.ok(
      seen.every((u) => u.startsWith(proxy.url) || u.startsWith('blob:')),
      seen.join('\n'),
    );
    await prefixed.close();
  } finally {
    await proxy.close();
  }
});
