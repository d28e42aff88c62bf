import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import {
  ASTRONAUT,
  COFFEE,
  assertStayedHome,
  chooseOperation,
  downloadResult,
  loadImage,
  openWithKey,
  shot,
} from './page-actions.js';
import { outcome, startHarness, type Harness } from './playground-harness.js';

/**
 * Editing in the playground, in a real Chromium against a real server: a painted mask, a layer, background
 * removal, a chain of edits, checked on the pixels the page hands back (its Download link). Screenshots
 * of each state go to test-artefacts/playground/.
 */

// The spoon in coffee.png (600x400), as the README's mask example boxes it: [left, top, width, height].
const SPOON_BOXES = [
  [315, 225, 100, 110],
  [365, 60, 60, 175],
] as const;

let h: Harness;
let page: Page;
/** The background-removal result, reused as an overlay layer. */
let cutout: Buffer | undefined;

before(async () => {
  h = await startHarness();
  page = await openWithKey(h);
  await loadImage(page, COFFEE);
});
after(async () => {
  await h.close();
  assertStayedHome(h, []);
});

test('paint a mask over the spoon, "remove the spoon": the result has the base size and changed only where painted', async () => {
  await chooseOperation(page, 'multi-edit');
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
  await stroke([
    [30, 30],
    [120, 40],
  ]);
  await page.locator('#stage').focus();
  await page.keyboard.press('Control+z');
  assert.equal(await page.locator('#mask-undo').isDisabled(), true, 'nothing left to undo');
  // Fill each spoon box with horizontal strokes a brush-width apart.
  for (const [left, top, width, height] of SPOON_BOXES) {
    for (let y = top + brush / 2; y < top + height + brush / 2; y += brush / 2) {
      await stroke([
        [left + brush / 2, Math.min(y, top + height - brush / 2)],
        [left + width - brush / 2, Math.min(y, top + height - brush / 2)],
      ]);
    }
  }
  // Keyboard: ] grows the brush, [ shrinks it back.
  const size = Number(await page.locator('#brush-size').inputValue());
  await page.keyboard.press(']');
  assert.ok(Number(await page.locator('#brush-size').inputValue()) > size);
  await page.keyboard.press('[');
  await shot(page, '03-mask-painted');

  await page.locator('#prompt').fill('remove the spoon');
  await page.locator('#run').click();
  await outcome(page, 'done');
  assert.equal(await page.locator('#result-image').getAttribute('data-width'), '600');
  assert.equal(await page.locator('#result-image').getAttribute('data-height'), '400');
  assert.equal(await page.locator('#balance').textContent(), '$4.99');
  assert.equal(await page.locator('#charged').textContent(), '$0.01');
  await shot(page, '04-spoon-removed');

  const result = await sharp(await downloadResult(page))
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
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
      const diff =
        Math.abs(result.data[i] - original[i]) +
        Math.abs(result.data[i + 1] - original[i + 1]) +
        Math.abs(result.data[i + 2] - original[i + 2]);
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
  await shot(page, '05-curl');
});

test('"use as next input" chains the result, and the history keeps both', async () => {
  await page.locator('#use-result').click();
  assert.equal(await page.locator('#history li').count(), 2);
  assert.equal(await page.locator('#input-image').getAttribute('src'), await page.locator('#result-image').getAttribute('src'));
});

test('background removal shows a transparent result over a checkerboard', async () => {
  await chooseOperation(page, 'background-remove');
  await loadImage(page, ASTRONAUT);
  await page.locator('#run').click();
  await outcome(page, 'done', 120_000);
  const png = await downloadResult(page);
  cutout = png;
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  assert.equal(info.channels, 4);
  const source = await sharp(ASTRONAUT).metadata();
  assert.deepEqual([info.width, info.height], [source.width, source.height], 'the cut-out is of the photo loaded');
  let transparent = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] === 0) transparent++;
  assert.ok(transparent > info.width * info.height * 0.1, 'a real share of the result is transparent');
  const background = await page
    .locator('#result-image')
    .evaluate((img) => (globalThis as any).getComputedStyle(img).backgroundImage);
  assert.match(String(background), /linear-gradient/, 'a checkerboard is drawn behind the image');
  await shot(page, '06-background-removed');
});

test('multi-edit with an extra layer: the cut-out placed as an overlay in the top right corner', async () => {
  assert.ok(cutout, 'the background-removal test ran first');
  const overlayPath = join(h.artefacts, 'overlay-input.png');
  writeFileSync(overlayPath, cutout);
  await chooseOperation(page, 'multi-edit');
  await page.locator('#model').selectOption('local-edit');
  await loadImage(page, COFFEE);
  await page.locator('#layer-input').setInputFiles(overlayPath);
  await page.locator('#layers .layer select').selectOption('overlay');
  await page.locator('#prompt').fill('add the overlay in the top right corner, small');
  await page.locator('#run').click();
  await outcome(page, 'done');
  await shot(page, '06b-overlay-layer');
  const result = await sharp(await downloadResult(page))
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const original = await sharp(COFFEE).removeAlpha().raw().toBuffer();
  const meanDiff = (x0: number, y0: number, x1: number, y1: number) => {
    let sum = 0;
    for (let y = y0; y < y1; y++)
      for (let x = x0; x < x1; x++)
        for (let c = 0; c < 3; c++) sum += Math.abs(result.data[(y * 600 + x) * 3 + c] - original[(y * 600 + x) * 3 + c]);
    return sum / ((x1 - x0) * (y1 - y0) * 3);
  };
  assert.ok(meanDiff(480, 0, 600, 120) > 10, 'the top right corner shows the overlay');
  assert.equal(meanDiff(0, 200, 300, 400), 0, 'the bottom left is untouched');
  await page.locator('#copy-curl').click();
  const curl = (await page.locator('#curl').textContent()) ?? '';
  assert.match(curl, /-F 'images=@overlay-input\.png'/);
  assert.match(curl, /-F 'layer_roles=overlay'/);
  await page.locator('#layers .layer button').click();
  assert.equal(await page.locator('#layers .layer').count(), 0, 'a layer can be removed');
});

test('an image can be dropped on the stage or pasted, and zoom and the slider work', async () => {
  await chooseOperation(page, 'edit');
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
  await shot(page, '05b-black-and-white-chained');
});
