import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { join } from 'node:path';
import { COFFEE, assertStayedHome, chooseOperation, loadImage } from './page-actions.js';
import { outcome, startHarness, type Harness } from './playground-harness.js';

/**
 * A newcomer's first minute with the playground at 1280x800: the balance is known as soon as there is a
 * key, prices are in dollars, and a refusal is seen where the person is looking, in the page's words.
 */

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
  assertStayedHome(h, []);
});

/** A fresh page with no key saved, its model list loaded. */
async function freshPage(): Promise<Page> {
  const page = await h.context.newPage();
  await page.goto(`${h.url}/`);
  await page.evaluate('localStorage.clear()');
  await page.reload();
  await page.locator('#model option[value="local-edit"]').waitFor({ state: 'attached' });
  return page;
}

/** Whether the status line's whole box is inside the 1280x800 window. */
async function statusInView(page: Page): Promise<{ inView: boolean; box: string }> {
  // A string, evaluated in the page: this build has no DOM types.
  return page.evaluate(`(() => {
    const box = document.getElementById('status').getBoundingClientRect();
    return {
      inView: box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight + 1,
      box: Math.round(box.top) + '..' + Math.round(box.bottom) + ' in ' + window.innerHeight,
    };
  })()`);
}

test('Save reads the balance at once, before any paid request', async () => {
  const page = await freshPage();
  assert.equal(await page.locator('#balance').textContent(), 'unknown');
  await page.locator('#api-key').fill(h.key);
  await page.locator('#key-save').click();
  await page.locator('#balance', { hasText: '$5.00' }).waitFor({ timeout: 10_000 });
  // A returning person (the key in this browser) sees it on load.
  await page.reload();
  await page.locator('#balance', { hasText: '$5.00' }).waitFor({ timeout: 10_000 });
  await page.close();
});

test('a failed request reads the balance too (nothing was charged)', async () => {
  const page = await freshPage();
  await page.locator('#api-key').fill(h.key); // typed, not saved
  await chooseOperation(page, 'edit');
  await page.locator('#model').selectOption('local-edit');
  await loadImage(page, COFFEE);
  await page.locator('#prompt').fill('zorp the blorp thoroughly');
  await page.locator('#run').click();
  await outcome(page, 'error');
  await page.locator('#balance', { hasText: '$5.00' }).waitFor({ timeout: 10_000 });
  await page.close();
});

test('prices are in dollars, with no unexplained DIEM', async () => {
  const page = await freshPage();
  await page.locator('#model').selectOption('local-edit');
  const summary = (await page.locator('#model-info .model-summary').textContent()) ?? '';
  assert.match(summary, /\$\d/, summary);
  assert.doesNotMatch((await page.locator('#model-info').textContent()) ?? '', /diem/i);
  await page.close();
});

test("a refusal is in view and speaks of the page's controls, whatever the person opened first", async () => {
  const page = await freshPage();
  await page.locator('#api-key').fill(h.key);
  await chooseOperation(page, 'edit');
  await page.locator('#model').selectOption('local-edit');
  await loadImage(page, COFFEE);
  // The person read the model's constraints and what it understands, which pushes Run down the page.
  await page.locator('#model-info details.model-details summary').click();
  await page.locator('#model-info details.vocabulary summary').click();
  for (const [prompt, words] of [
    ['remove the tree', /Choose Multi-edit and paint over it with the brush\.$/],
    ['zorp the blorp thoroughly', /listed under "What local-edit understands" below the model\)\.$/],
    ['replace the background with the second image', /choose Multi-edit and add it with "Add layer image…"\.$/],
  ] as const) {
    await page.locator('#prompt').fill(prompt);
    await page.locator('#run').click();
    const text = (await outcome(page, 'error')).replace(/ \(request [^)]+\)$/, '');
    assert.match(text, words, text);
    assert.doesNotMatch(text, /\/image\/|\/api\/v1|GET \/models|model_spec/, `no route or field name: ${text}`);
    assert.doesNotMatch(text, /[^.]\.\.(?!\.)/, `ends once: ${text}`);
    const { inView, box } = await statusInView(page);
    assert.ok(inView, `the refusal of "${prompt}" is in view (${box})`);
  }
  // What the person sees (the window, not the whole page), to be looked at.
  await page.screenshot({ path: join(h.artefacts, '20-refusal-in-view.png') });
  // An error with the page scrolled down to the history: it is brought into view as well.
  await page.evaluate('window.scrollTo(0, document.body.scrollHeight)');
  await page
    .locator('#file-input')
    .setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture') });
  await page.locator('#status[data-state="error"]').waitFor();
  const { inView, box } = await statusInView(page);
  assert.ok(inView, `the error about the file is in view (${box}): ${await page.locator('#status').textContent()}`);
  await page.close();
});
