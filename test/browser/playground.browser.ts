import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { PLAYGROUND_CSP } from '../../src/http/routes/playground.js';
import { outcome, startHarness, startPrefixProxy, type Harness } from './playground-harness.js';

/**
 * The playground in a real Chromium against a real server: what a person does with it, checked on the
 * pixels the page hands back (its Download link) and on the server's ledger. Screenshots of each state
 * go to test-artefacts/playground/.
 */

const COFFEE = resolve('test/fixtures/coffee.png');
const ASTRONAUT = resolve('test/fixtures/astronaut.png');
// The spoon in coffee.png (600x400), as the README's mask example boxes it: [left, top, width, height].
const SPOON_BOXES = [
  [315, 225, 100, 110],
  [365, 60, 60, 175],
] as const;

let h: Harness;
let page: Page;
/** The background-removal result, reused as an overlay layer. */
let cutout: Buffer | undefined;
/** The server, the prefix proxy in front of it, and the page's own object URLs. */
const allowedOrigins = ['blob:'];

before(async () => {
  h = await startHarness();
  page = await h.context.newPage();
  allowedOrigins.push(h.url + '/');
});
after(async () => {
  // The page may only ever talk to this server (the CSP says so too; this checks what was really asked).
  const foreign = h.requested.filter((u) => !allowedOrigins.some((origin) => u.startsWith(origin)));
  const violations = h.cspViolations;
  await h.close();
  assert.deepEqual(foreign, [], 'the page made no request outside its own server');
  assert.deepEqual(violations, [], 'nothing on the page broke its own Content-Security-Policy');
});

async function shot(name: string, target: Page = page): Promise<void> {
  await target.screenshot({ path: join(h.artefacts, `${name}.png`), fullPage: true });
}

async function chooseOperation(operation: string): Promise<void> {
  await page.locator(`input[name="operation"][value="${operation}"]`).check();
}

/** Loads a file through the file picker and waits until the page shows it as the input. */
async function loadImage(target: Page, path: string): Promise<void> {
  await target.locator('#file-input').setInputFiles(path);
  await target.locator(`#input-image[alt^="Input: ${basename(path)},"]`).waitFor({ state: 'attached' });
}

/** The result image the page offers for download, as sharp reads it. */
async function downloadResult(): Promise<Buffer> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#download').click()]);
  const path = await download.path();
  return readFileSync(path);
}

test('the page loads without a key, under a strict CSP, and lists the models with their constraints', async () => {
  const response = await page.goto(h.url + '/');
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
  await shot('01-start');
});

test('a wrong key shows the 401 as the API sent it', async () => {
  await page.locator('#api-key').fill('rt_this-is-not-a-key');
  await loadImage(page, COFFEE);
  await page.locator('#prompt').fill('make it black and white');
  await page.locator('#run').click();
  const text = await outcome(page, 'error');
  assert.equal(await page.locator('#status').getAttribute('data-http-status'), '401');
  assert.match(text, /^401 Authentication failed: the API key is unknown or revoked/);
  await shot('02-wrong-key-401');
});

test('paint a mask over the spoon, "remove the spoon": the result has the base size and changed only where painted', async () => {
  await page.locator('#api-key').fill(h.key);
  await page.locator('#key-save').click();
  assert.equal(await page.evaluate('localStorage.getItem("retouch.apiKey")'), h.key);
  await chooseOperation('multi-edit');
  await page.locator('#model').selectOption('local-edit');
  const canvas = page.locator('#mask-canvas');
  await canvas.waitFor();
  const scale = (await canvas.boundingBox())!.width / 600;
  const brush = 24;
  await page.locator('#brush-size').fill(String(Math.round(brush * scale)));
  // Then bring the stage into view: strokes are placed from the canvas's box on the screen.
  await page.locator('#stage').focus();
  const box = (await canvas.boundingBox())!;
  const toScreen = (x: number, y: number) => [box.x + x * scale, box.y + y * scale] as const;
  const stroke = async (points: Array<[number, number]>) => {
    assert.deepEqual(await canvas.boundingBox(), box, 'the canvas has not moved');
    await page.mouse.move(...toScreen(...points[0]));
    await page.mouse.down();
    for (const p of points.slice(1)) await page.mouse.move(...toScreen(...p), { steps: 8 });
    await page.mouse.up();
  };
  // A stray stroke in the sky, then Ctrl+Z: it must not reach the server.
  await stroke([[30, 30], [120, 40]]);
  await page.locator('#stage').focus();
  await page.keyboard.press('Control+z');
  assert.equal(await page.locator('#mask-undo').isDisabled(), true, 'nothing left to undo');
  // Fill each spoon box with horizontal strokes a brush-width apart.
  for (const [left, top, width, height] of SPOON_BOXES) {
    for (let y = top + brush / 2; y < top + height + brush / 2; y += brush / 2) {
      await stroke([[left + brush / 2, Math.min(y, top + height - brush / 2)], [left + width - brush / 2, Math.min(y, top + height - brush / 2)]]);
    }
  }
  // Keyboard: ] grows the brush, [ shrinks it back.
  const size = Number(await page.locator('#brush-size').inputValue());
  await page.keyboard.press(']');
  assert.ok(Number(await page.locator('#brush-size').inputValue()) > size);
  await page.keyboard.press('[');
  await shot('03-mask-painted');

  await page.locator('#prompt').fill('remove the spoon');
  await page.locator('#run').click();
  await outcome(page, 'done');
  assert.equal(await page.locator('#result-image').getAttribute('data-width'), '600');
  assert.equal(await page.locator('#result-image').getAttribute('data-height'), '400');
  assert.equal(await page.locator('#balance').textContent(), '$4.99');
  assert.equal(await page.locator('#charged').textContent(), '$0.01');
  await shot('04-spoon-removed');

  const result = await sharp(await downloadResult()).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const original = await sharp(COFFEE).removeAlpha().raw().toBuffer();
  assert.equal(result.info.width, 600);
  assert.equal(result.info.height, 400);
  const inBoxes = (x: number, y: number, margin: number) =>
    SPOON_BOXES.some(([l, t, w, hh]) => x >= l - margin && x < l + w + margin && y >= t - margin && y < t + hh + margin);
  let insideDiff = 0;
  let insideCount = 0;
  let outsideChanged = 0;
  for (let y = 0; y < 400; y++) {
    for (let x = 0; x < 600; x++) {
      const i = (y * 600 + x) * 3;
      const diff = Math.abs(result.data[i] - original[i]) + Math.abs(result.data[i + 1] - original[i + 1]) + Math.abs(result.data[i + 2] - original[i + 2]);
      if (inBoxes(x, y, -brush / 2)) {
        insideDiff += diff;
        insideCount++;
      } else if (!inBoxes(x, y, brush / 2 + 2) && diff !== 0) outsideChanged++;
    }
  }
  assert.ok(insideDiff / insideCount > 20, `the painted area changed (mean ${insideDiff / insideCount})`);
  assert.equal(outsideChanged, 0, 'no pixel changed outside the painted area (the undone stroke included)');
});

test('"copy as curl" gives the request just made with the key masked', async () => {
  await page.locator('#copy-curl').click();
  const curl = (await page.locator('#curl').textContent()) ?? '';
  assert.match(curl, /api\/v1\/image\/multi-edit/);
  assert.match(curl, /-F 'modelId=local-edit'/);
  assert.match(curl, /-F 'images=@mask\.png'/);
  assert.match(curl, /-F 'layer_roles=mask'/);
  assert.ok(!curl.includes(h.key), 'the key itself is not in the command');
  assert.match(curl, /\$RETOUCH_KEY/);
  await shot('05-curl');
});

test('"use as next input" chains the result, and the history keeps both', async () => {
  await page.locator('#use-result').click();
  assert.equal(await page.locator('#history li').count(), 2);
  assert.equal(await page.locator('#input-image').getAttribute('src'), await page.locator('#result-image').getAttribute('src'));
});

test('background removal shows a transparent result over a checkerboard', async () => {
  await chooseOperation('background-remove');
  await loadImage(page, ASTRONAUT);
  await page.locator('#run').click();
  await outcome(page, 'done', 120_000);
  const png = await downloadResult();
  cutout = png;
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  assert.equal(info.channels, 4);
  const source = await sharp(ASTRONAUT).metadata();
  assert.deepEqual([info.width, info.height], [source.width, source.height], 'the cut-out is of the photo loaded');
  let transparent = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] === 0) transparent++;
  assert.ok(transparent > info.width * info.height * 0.1, 'a real share of the result is transparent');
  const background = await page.locator('#result-image').evaluate((img) => (globalThis as any).getComputedStyle(img).backgroundImage);
  assert.match(String(background), /linear-gradient/, 'a checkerboard is drawn behind the image');
  await shot('06-background-removed');
});

test('multi-edit with an extra layer: the cut-out placed as an overlay in the top right corner', async () => {
  assert.ok(cutout, 'the background-removal test ran first');
  const overlayPath = join(h.artefacts, 'overlay-input.png');
  writeFileSync(overlayPath, cutout);
  await chooseOperation('multi-edit');
  await page.locator('#model').selectOption('local-edit');
  await loadImage(page, COFFEE);
  await page.locator('#layer-input').setInputFiles(overlayPath);
  await page.locator('#layers .layer select').selectOption('overlay');
  await page.locator('#prompt').fill('add the overlay in the top right corner, small');
  await page.locator('#run').click();
  await outcome(page, 'done');
  await shot('06b-overlay-layer');
  const result = await sharp(await downloadResult()).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const original = await sharp(COFFEE).removeAlpha().raw().toBuffer();
  const meanDiff = (x0: number, y0: number, x1: number, y1: number) => {
    let sum = 0;
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) for (let c = 0; c < 3; c++) sum += Math.abs(result.data[(y * 600 + x) * 3 + c] - original[(y * 600 + x) * 3 + c]);
    return sum / ((x1 - x0) * (y1 - y0) * 3);
  };
  assert.ok(meanDiff(480, 0, 600, 120) > 10, 'the top right corner shows the overlay');
  assert.equal(meanDiff(0, 200, 300, 400), 0, 'the bottom left is untouched');
  const curl = await (async () => (await page.locator('#copy-curl').click(), (await page.locator('#curl').textContent()) ?? ''))();
  assert.match(curl, /-F 'images=@overlay-input\.png'/);
  assert.match(curl, /-F 'layer_roles=overlay'/);
  await page.locator('#layers .layer button').click();
  assert.equal(await page.locator('#layers .layer').count(), 0, 'a layer can be removed');
});

test('an image can be dropped on the stage or pasted, and zoom and the slider work', async () => {
  await chooseOperation('edit');
  const base64 = readFileSync(COFFEE).toString('base64');
  // The file a person would drag from their desktop or copy, handed to the page's own event handlers.
  const deliver = (name: string, how: 'drop' | 'paste') =>
    page.evaluate(`(() => {
      const bytes = Uint8Array.from(atob("${base64}"), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], "${name}", { type: "image/png" }));
      const event = "${how}" === "drop"
        ? new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true })
        : new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true });
      ("${how}" === "drop" ? document.getElementById("stage") : document.body).dispatchEvent(event);
    })()`);
  await deliver('dropped.png', 'drop');
  await page.locator('#input-image[alt="Input: dropped.png, 600×400"]').waitFor({ state: 'attached' });
  await deliver('pasted.png', 'paste');
  await page.locator('#input-image[alt="Input: pasted.png, 600×400"]').waitFor({ state: 'attached' });

  await page.locator('#zoom').selectOption('2');
  assert.equal((await page.locator('#input-frame').boundingBox())?.width, 1200, 'zoomed to 200%, the stage scrolls');
  await page.locator('#zoom').selectOption('fit');

  await page.locator('#history li button').nth(1).click(); // the spoon-free result
  await page.locator('#model').selectOption('local-edit');
  await page.locator('#prompt').fill('make it black and white');
  await page.locator('#run').click();
  await outcome(page, 'done');
  await page.locator('#compare-slider').fill('20');
  assert.match((await page.locator('#after-clip').getAttribute('style')) ?? '', /inset\(0(px)? 0(px)? 0(px)? 20%\)/);
  await shot('05b-black-and-white-chained');
});

test('a URL of another site is sent to the server, never loaded by the page, and its refusal is shown', async () => {
  await page.locator('#url-input').fill('http://images.example.invalid/cat.png');
  await page.locator('#url-form button').click();
  await page.locator('#stage-empty', { hasText: 'The server fetches this URL' }).waitFor();
  await page.locator('#prompt').fill('make it black and white');
  await page.locator('#run').click();
  const text = await outcome(page, 'error');
  assert.match(text, /^400 /, text);
  await shot('05c-remote-url-refused');
});

test('a refused prompt shows the server\'s message', async () => {
  await chooseOperation('edit');
  await page.locator('#model').selectOption('local-edit');
  await loadImage(page, COFFEE);
  await page.locator('#prompt').fill('undress the woman');
  await page.locator('#run').click();
  const text = await outcome(page, 'error');
  assert.equal(await page.locator('#status').getAttribute('data-http-status'), '400');
  assert.match(text, /^400 Your prompt was blocked by the content policy of this model: explicit sexual content/);
  await shot('07-refused-prompt');
});

test('cancel during a slow request leaves the balance unchanged', async () => {
  const before = await h.store.getBalance(h.keyId);
  const shownBalance = await page.locator('#balance').textContent();
  await page.locator('#model').selectOption('qwen-edit');
  await page.locator('#prompt').fill('make it look like a watercolour painting');
  await page.locator('#run').click();
  // Wait until the backend really works on it and the price is reserved.
  const deadline = Date.now() + 10_000;
  while ((h.comfy.prompts.length === 0 || (await h.store.getBalance(h.keyId)).reservedMicros === 0) && Date.now() < deadline) await page.waitForTimeout(50);
  assert.equal((await h.store.getBalance(h.keyId)).reservedMicros, 40_000, 'the price is reserved while it runs');
  await shot('08-running');
  await page.locator('#cancel').click();
  await outcome(page, 'cancelled');
  await shot('09-cancelled');
  const until = Date.now() + 10_000;
  while ((await h.store.getBalance(h.keyId)).reservedMicros !== 0 && Date.now() < until) await page.waitForTimeout(50);
  const afterCancel = await h.store.getBalance(h.keyId);
  assert.equal(afterCancel.reservedMicros, 0, 'the reservation is released');
  assert.equal(afterCancel.balanceMicros, before.balanceMicros, 'nothing is charged');
  assert.equal(await page.locator('#balance').textContent(), shownBalance);
});

test('upscale, when the server has an upscale model', async (t) => {
  const models = (await (await fetch(`${h.url}/api/v1/models`)).json()) as { data: Array<{ id: string; type: string; model_spec: { offline?: boolean } }> };
  const upscaler = models.data.find((m) => m.type === 'upscale' && !m.model_spec.offline);
  if (!upscaler) {
    t.skip('no online upscale model on this server');
    return;
  }
  await chooseOperation('upscale');
  await loadImage(page, COFFEE);
  await page.locator('#field-scale').selectOption('2');
  await page.locator('#run').click();
  await outcome(page, 'done', 300_000);
  assert.equal(await page.locator('#result-image').getAttribute('data-width'), '1200');
  await shot('10-upscaled');
});

test('usable on a phone (390x844) and at 200% zoom: nothing wider than the screen', async () => {
  // 200% zoom of a 1280x800 window leaves a 640x400 CSS-pixel viewport.
  for (const [name, viewport] of [
    ['11-phone', { width: 390, height: 844 }],
    ['12-zoom-200', { width: 640, height: 400 }],
  ] as const) {
    const small = await h.context.newPage();
    await small.setViewportSize(viewport);
    await small.goto(h.url + '/playground');
    await small.locator('#model option').first().waitFor({ state: 'attached' });
    await loadImage(small, COFFEE);
    const width = Number(await small.evaluate('document.documentElement.scrollWidth'));
    assert.ok(width <= viewport.width, `${name}: page is ${width}px wide in a ${viewport.width}px viewport`);
    await shot(name, small);
    await small.close();
  }
});

test('the page works behind a path prefix', async () => {
  const proxy = await startPrefixProxy(h.url);
  allowedOrigins.push(proxy.url);
  try {
    const prefixed = await h.context.newPage();
    const seen: string[] = [];
    prefixed.on('request', (r) => seen.push(r.url()));
    await prefixed.goto(proxy.url + 'playground');
    // Another origin (the proxy's port), so another localStorage: the key is typed again.
    await prefixed.locator('#api-key').fill(h.key);
    await prefixed.locator('#model option[value="local-edit"]').waitFor({ state: 'attached' });
    await loadImage(prefixed, COFFEE);
    await prefixed.locator('#prompt').fill('make it black and white');
    await prefixed.locator('#model').selectOption('local-edit');
    await prefixed.locator('#run').click();
    await outcome(prefixed, 'done');
    assert.ok(seen.every((u) => u.startsWith(proxy.url) || u.startsWith('blob:')), seen.join('\n'));
    await prefixed.close();
  } finally {
    await proxy.close();
  }
});
