import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findStuff } from '../../../src/imaging/stuff/find-stuff.js';
import type { StuffKind } from '../../../src/imaging/stuff/stuff-rules.js';
import { loadPhoto, type PHOTOS } from '../photo-fixtures.js';

/**
 * Stuff found on real photos, checked by pixels: the sky of a dusk launch (rocket.jpg), of a blue day with
 * clouds (sky-towers.jpg) and of an overcast street (cloudy-street.jpg); none in photos without a sky.
 */

async function find(name: keyof typeof PHOTOS, kind: StuffKind) {
  const photo = await loadPhoto(name);
  const found = findStuff({ ...photo, kind });
  const at = (fx: number, fy: number) =>
    found.mask ? found.mask[Math.floor(fy * (photo.height - 1)) * photo.width + Math.floor(fx * (photo.width - 1))] : 0;
  return { found, at };
}

describe('the sky', () => {
  test('rocket.jpg: the dusk sky around the rocket, not the rocket, the towers or the ground', async () => {
    const { found, at } = await find('rocket', 'sky');
    assert.ok(found.mask, 'a sky is found');
    assert.ok(found.share > 0.45 && found.share < 0.85, `share ${found.share}`);
    assert.ok(at(0.35, 0.1) > 200 && at(0.65, 0.3) > 200, 'open sky is in');
    assert.ok(at(0.5, 0.6) < 60, 'the rocket is out');
    assert.ok(at(0.07, 0.5) < 100, 'the left launch tower is out');
    assert.ok(at(0.5, 0.99) < 60, 'the ground is out');
  });

  test('sky-towers.jpg: the blue sky with its clouds and birds, not the palace', async () => {
    const { found, at } = await find('skyTowers', 'sky');
    assert.ok(found.mask);
    assert.ok(found.share > 0.35 && found.share < 0.7, `share ${found.share}`);
    assert.ok(at(0.05, 0.05) > 200 && at(0.05, 0.45) > 200, 'sky and the cloud on the left are in');
    assert.ok(at(0.8, 0.8) < 30 && at(0.6, 0.95) < 30, 'the palace is out');
  });

  test('cloudy-street.jpg: the grey overcast sky above the roofs', async () => {
    const { found, at } = await find('cloudyStreet', 'sky');
    assert.ok(found.mask);
    assert.ok(found.share > 0.12 && found.share < 0.4, `share ${found.share}`);
    assert.ok(at(0.6, 0.05) > 200, 'the sky is in');
    assert.ok(at(0.5, 0.9) < 30 && at(0.05, 0.5) < 30, 'the street and the houses are out');
  });

  // facade: its purple-grey stone wall reaches the top between the leaves, dull and no brighter than the rest.
  for (const name of ['chelsea', 'coffee', 'fruits', 'street', 'facade'] as const) {
    test(`${name}: no sky, with a reason`, async () => {
      const { found } = await find(name, 'sky');
      assert.equal(found.mask, null);
      assert.match((found as { reason: string }).reason, /top|sky|wall/);
    });
  }
});

describe('other stuff', () => {
  test('chelsea.png: no water and no snow', async () => {
    assert.equal((await find('chelsea', 'water')).found.mask, null);
    assert.equal((await find('chelsea', 'snow')).found.mask, null);
  });
});
