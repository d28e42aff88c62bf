import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../../../src/errors.js';
import { contextWindow, contextWindows, cutWindow, holeBox, pasteWindow } from '../../../src/imaging/inpaint/crop.js';
import { inpaint } from '../../../src/imaging/inpaint/index.js';
import { testImagingPool } from '../../helpers/engine-context.js';
import { discHole, photo, rectHole } from './helpers.js';

const pool = testImagingPool();

test('the window is the hole box plus its larger side of context, clamped; the whole image when that is most of it', () => {
  const hole = discHole(1000, 800, 500, 400, 20);
  const box = holeBox(hole, 1000, 800)!;
  assert.deepEqual(box, { left: 480, top: 380, width: 41, height: 41 });
  assert.deepEqual(contextWindow(box, 1000, 800), { left: 416, top: 316, width: 169, height: 169 });
  assert.deepEqual(contextWindow({ left: 350, top: 250, width: 300, height: 300 }, 1000, 800), {
    left: 0,
    top: 0,
    width: 1000,
    height: 800,
  });
  assert.equal(holeBox(new Uint8Array(100), 10, 10), null);
});

test('cutting a window and pasting it back is exact', () => {
  const data = Uint8Array.from({ length: 20 * 10 * 3 }, (_, i) => i % 251);
  const w = { left: 3, top: 2, width: 7, height: 5 };
  const patch = cutWindow(data, 20, 3, w);
  assert.equal(patch.length, 7 * 5 * 3);
  assert.deepEqual([...pasteWindow(Uint8Array.from(data), 20, 3, w, patch)], [...data]);
});

test('holes far apart get a window each; nearby holes share one', () => {
  const hole = discHole(3000, 2000, 300, 300, 20);
  const far = discHole(3000, 2000, 2600, 1600, 20);
  const near = discHole(3000, 2000, 360, 300, 10);
  for (let i = 0; i < hole.length; i++) hole[i] = Math.max(hole[i], far[i], near[i]);
  const windows = contextWindows(hole, 3000, 2000);
  assert.equal(windows.length, 2, JSON.stringify(windows));
  assert.ok(
    windows.every((w) => w.width < 400 && w.height < 400),
    JSON.stringify(windows),
  );
});

test('a small hole is filled through a window, and nothing outside the hole changes', async () => {
  const image = await photo('astronaut.png');
  const hole = discHole(image.width, image.height, 400, 120, 14);
  const out = await inpaint(image, hole, { pool, seed: 3 });
  let changedInside = 0;
  for (let i = 0; i < hole.length; i++) {
    const same =
      out.data[i * 3] === image.data[i * 3] &&
      out.data[i * 3 + 1] === image.data[i * 3 + 1] &&
      out.data[i * 3 + 2] === image.data[i * 3 + 2];
    if (hole[i] > 127) changedInside += same ? 0 : 1;
    else assert.ok(same, `pixel ${i} outside the hole changed`);
  }
  assert.ok(changedInside > 0.5 * Math.PI * 14 * 14, 'the hole was not filled');
});

test('a hole too large to fill plausibly (half the picture) is refused with a 400, not filled with streaks', async () => {
  const image = await photo('astronaut.png');
  const half = rectHole(image.width, image.height, 0, 0, image.width / 2, image.height);
  await assert.rejects(inpaint(image, half, { pool, seed: 0 }), (error: unknown) => {
    assert.ok(error instanceof ApiError && error.status === 400, String(error));
    assert.match(error.message, /too large to fill plausibly/);
    return true;
  });
  // A disc of 23% of the picture is refused for its reach (140 px, over a quarter of 512), not its share.
  await assert.rejects(inpaint(image, discHole(image.width, image.height, 256, 256, 140), { pool, seed: 0 }), /reaching 14\d px/);
});
