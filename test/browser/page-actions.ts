import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTEFACTS, type Harness } from './playground-harness.js';

/** What the browser tests do on the page, the way a person would: pick, load, run, download, look. */

export const COFFEE = resolve('test/fixtures/coffee.png');
export const ASTRONAUT = resolve('test/fixtures/astronaut.png');

/** A full-page screenshot under test-artefacts/playground/, to be looked at. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTEFACTS, `${name}.png`), fullPage: true });
}

export async function chooseOperation(page: Page, operation: string): Promise<void> {
  await page.locator(`input[name="operation"][value="${operation}"]`).check();
}

/** Loads a file through the file picker and waits until the page shows it as the input. */
export async function loadImage(page: Page, path: string): Promise<void> {
  await page.locator('#file-input').setInputFiles(path);
  await page.locator(`#input-image[alt^="Input: ${basename(path)},"]`).waitFor({ state: 'attached' });
}

/** The result image the page offers for download, as bytes. */
export async function downloadResult(page: Page): Promise<Buffer> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#download').click()]);
  return readFileSync(await download.path());
}

/** Opens the playground with the harness's key saved, as a returning user has it. */
export async function openWithKey(h: Harness): Promise<Page> {
  const page = await h.context.newPage();
  await page.goto(`${h.url}/`);
  await page.locator('#model option[value="local-edit"]').waitFor({ state: 'attached' });
  await page.locator('#api-key').fill(h.key);
  await page.locator('#key-save').click();
  assert.equal(await page.evaluate('localStorage.getItem("retouch.apiKey")'), h.key);
  return page;
}

/**
 * After a file's tests: the page asked nothing of any other site (its CSP says so; this checks what was
 * really requested) and nothing it did broke its own policy.
 */
export function assertStayedHome(h: Harness, allowedOrigins: string[]): void {
  const allowed = ['blob:', `${h.url}/`, ...allowedOrigins];
  const foreign = h.requested.filter((u) => !allowed.some((origin) => u.startsWith(origin)));
  assert.deepEqual(foreign, [], 'the page made no request outside its own server');
  assert.deepEqual(h.cspViolations, [], 'nothing on the page broke its own Content-Security-Policy');
}
