import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { inpaint } from '../../../src/imaging/inpaint/index.js';
import { createRng } from '../../../src/imaging/inpaint/rng.js';
import { propagateStructure } from '../../../src/imaging/inpaint/structure.js';
import type { RawImage } from '../../../src/imaging/raw-image.js';
import { testImagingPool } from '../../helpers/engine-context.js';
import { mseInHole, outsideIdentical, photo, rectHole } from './helpers.js';

const pool = testImagingPool();

/**
 * A light post with vertical grain on a dark, noisy background whose blotches run every way (foliage),
 * and the post's light changing from top to bottom, as it does on a real post.
 */
function postPicture(width: number, height: number): RawImage {
  const rng = createRng(3);
  const data = Buffer.alloc(width * height * 3);
  const grain = Array.from({ length: width }, () => rng.next() * 20);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 3;
      const onPost = x >= 100 && x < 140;
      const v = onPost ? 150 + grain[x] - (40 * y) / height : 40 + rng.next() * 50;
      data[p] = v;
      data[p + 1] = onPost ? v : v + 15;
      data[p + 2] = v;
    }
  }
  return { data, width, height, channels: 3 };
}

/** Tiles 24 pixels square with dark grout lines 3 pixels wide, and noise. */
function tiles(width: number, height: number): RawImage {
  const rng = createRng(5);
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const grout = x % 24 < 3 || y % 24 < 3;
      const v = (grout ? 60 : 200) + rng.next() * 16;
      data.fill(Math.round(v), (y * width + x) * 3, (y * width + x) * 3 + 3);
    }
  }
  return { data, width, height, channels: 3 };
}

const shared = (image: RawImage, hole: Uint8Array) => ({
  width: image.width,
  height: image.height,
  channels: 3 as const,
  data: new Uint8Array(image.data),
  hole: new Uint8Array(hole),
});

describe('structure first', () => {
  test('a post crossing a large hole is carried through it, light from top to bottom', async () => {
    const image = postPicture(240, 260);
    const hole = rectHole(240, 260, 70, 70, 100, 120);
    const reports: Array<{ bands: number }> = [];
    const out = await inpaint(image, hole, { pool, seed: 1, onStructure: (r) => reports.push(r) });
    assert.ok(outsideIdentical(image, out, hole));
    assert.ok(reports[0].bands >= 1, JSON.stringify(reports));
    let light = 0;
    for (let y = 70; y < 190; y++) {
      let sum = 0;
      for (let x = 106; x < 134; x++) sum += out.data[(y * 240 + x) * 3];
      if (sum / 28 > 115) light++;
    }
    assert.ok(light >= 0.95 * 120, `the post is light in ${light} of 120 rows`);
    // PatchMatch alone breaks it: the test can tell the difference.
    const alone = await inpaint(image, hole, { pool, seed: 1, settings: { structureFirst: false } });
    let aloneLight = 0;
    for (let y = 70; y < 190; y++) {
      let sum = 0;
      for (let x = 106; x < 134; x++) sum += alone.data[(y * 240 + x) * 3];
      if (sum / 28 > 115) aloneLight++;
    }
    assert.ok(aloneLight < light, `PatchMatch alone: ${aloneLight} light rows`);
  });

  test('tiles are continued by their period, close to the truth', () => {
    const image = tiles(200, 200);
    const hole = rectHole(200, 200, 70, 70, 40, 40);
    const target = shared(image, hole);
    const report = propagateStructure(target);
    assert.ok(report.period, JSON.stringify(report));
    const [vx, vy] = report.period;
    assert.ok((Math.abs(vx) % 24 === 0 && vy % 24 === 0) || (vx === 0 && vy % 24 === 0), `period ${vx},${vy}`);
    const filled = { ...image, data: Buffer.from(target.data) };
    // The noise alone (uniform 0..16 on each side) makes an MSE of about 43 between two copies.
    assert.ok(mseInHole(image, filled, hole) < 120, `MSE ${mseInHole(image, filled, hole).toFixed(0)}`);
  });

  test('natural texture (fur) gets neither lines nor a period: it is left to PatchMatch', async () => {
    const image = await photo('baboon.jpg');
    const hole = rectHole(image.width, image.height, 300, 330, 90, 90);
    const report = propagateStructure(shared(image, hole));
    assert.equal(report.filled, 0, JSON.stringify(report));
  });
});

describe('structure first, a hole that nearly touches the frame', () => {
  test('the post behind the street sign is carried from below, without stripes from the sliver above', async () => {
    // The sign's box starts 12 rows under the top: too short a stretch of the post above it to copy from.
    // Folded back and forth, that sliver (with the sign's rim) striped the post every 48 rows.
    const street = await photo('street.jpg');
    const { width, height } = street;
    const hole = rectHole(width, height, 250, 12, 197, 262);
    const window = shared(street, hole);
    const report = propagateStructure(window);
    assert.ok(report.bands > 0, `the post is carried (${JSON.stringify(report)})`);
    // Stripes: how much the post's brightness jumps from row to row, inside the hole against below it.
    const jumps = (from: number, to: number) => {
      const rows: number[] = [];
      for (let y = from; y < to; y++) {
        let sum = 0;
        for (let x = 345; x < 395; x++) sum += window.data[(y * width + x) * 3 + 1];
        rows.push(sum / 50);
      }
      return rows.slice(1).reduce((s, v, k) => s + Math.abs(v - rows[k]), 0) / (rows.length - 1);
    };
    const inside = jumps(30, 260);
    const below = jumps(290, 520);
    assert.ok(inside < 1.4 * below, `row-to-row jumps ${inside.toFixed(2)} inside the hole, ${below.toFixed(2)} below it`);
  });
});
