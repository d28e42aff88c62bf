import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findStuff } from '../../../src/imaging/stuff/find-stuff.js';
import { stuffGrid } from '../../../src/imaging/stuff/stuff-grid.js';
import { findStuffCells, type StuffKind } from '../../../src/imaging/stuff/stuff-rules.js';
import { loadPhoto, type PHOTOS } from '../photo-fixtures.js';

/**
 * Walls and floors found on real photos, checked by pixels at places looked at by eye: the stone wall of
 * building-facade.jpg (not the tree in front, not the door on the left; refused all the same, as the leaves
 * in front break it into too many pieces to repaint), the studio backdrop behind the
 * astronaut (not her face, the flag, the suit or the model shuttle), the concrete floor of the garage in
 * motorcycle_left.png (not the motorcycle, the shelves or the wall). Photos without one are refused with
 * a reason: no floor under the coffee cup (a table top filling the picture), none on the street (the strip
 * of road is too thin, and none outdoors), no wall in the garage (its wooden walls are cluttered and orange)
 * or behind chelsea (a little blur).
 */

async function find(name: keyof typeof PHOTOS, kind: StuffKind) {
  const photo = await loadPhoto(name);
  const found = findStuff({ ...photo, kind });
  const at = (fx: number, fy: number) =>
    found.mask ? found.mask[Math.floor(fy * (photo.height - 1)) * photo.width + Math.floor(fx * (photo.width - 1))] : 0;
  return { found, at };
}

function outside(at: (fx: number, fy: number) => number, places: Array<[number, number, string]>) {
  for (const [fx, fy, what] of places) assert.ok(at(fx, fy) < 30, `${what} is out (${at(fx, fy)})`);
}

describe('walls', () => {
  test('building-facade.jpg: the stone wall is found under the leaves, and refused as too broken up to repaint', async () => {
    const photo = await loadPhoto('facade');
    const grid = stuffGrid(photo.data, photo.width, photo.height, photo.channels);
    const wall = findStuffCells(grid, 'wall');
    assert.ok(wall.cells, 'the wall cells are found');
    const at = (fx: number, fy: number) =>
      wall.cells?.has(Math.floor(fy * grid.height) * grid.width + Math.floor(fx * grid.width));
    assert.ok(at(0.5, 0.6) && at(0.45, 0.45), 'the stone wall is in');
    assert.ok(at(0.3, 0.6), 'the shaded face of the pillar is in');
    for (const [fx, fy, what] of [
      [0.1, 0.2, 'the tree on the left'],
      [0.6, 0.05, 'the canopy at the top'],
      [0.05, 0.85, 'the door on the left'],
    ] as const)
      assert.ok(!at(fx, fy), `${what} is out`);
    // Known limit: the doorway at the lower right is the stone's own purple-grey and as even, so it is taken
    // in with the wall; only lines or depth would tell them apart. The hazy leaves hanging in front of the
    // wall break it into many pieces, and a new colour around them came out as a camouflage pattern, so the
    // finder refuses it, saying why.
    const found = findStuff({ ...photo, kind: 'wall' });
    assert.equal(found.mask, null);
    assert.match((found as { reason: string }).reason, /broken up by \d+ patches/);
  });

  test('astronaut.png: the backdrop behind her, not her face, the flag, the suit or the shuttle', async () => {
    const { found, at } = await find('astronaut', 'wall');
    assert.ok(found.mask);
    assert.ok(found.share > 0.15 && found.share < 0.4, `share ${found.share}`);
    assert.ok(at(0.15, 0.1) > 200 && at(0.3, 0.1) > 200, 'the backdrop is in');
    outside(at, [
      [0.45, 0.25, 'her face'],
      [0.1, 0.4, 'the flag'],
      [0.5, 0.7, 'the suit'],
      [0.85, 0.45, 'the shuttle'],
      [0.9, 0.7, 'the helmet'],
    ]);
  });

  test('chelsea.png: no wall: not the cat, and too little of the blur behind it', async () => {
    const { found } = await find('chelsea', 'wall');
    assert.equal(found.mask, null);
    assert.match((found as { reason: string }).reason, /covers only/);
  });

  test('street.jpg: if a wall is found, it is not the post, the sign, the car or the people', async () => {
    const { at } = await find('street', 'wall');
    outside(at, [
      [0.45, 0.6, 'the post'],
      [0.35, 0.3, 'the sign'],
      [0.6, 0.8, 'the car'],
      [0.92, 0.75, 'the woman in red'],
      [0.05, 0.75, 'the man on the left'],
      [0.25, 0.25, 'the canopy'],
    ]);
  });

  for (const name of ['coffee', 'motorcycle'] as const) {
    test(`${name}: no wall, with a reason`, async () => {
      const { found } = await find(name, 'wall');
      assert.equal(found.mask, null);
      assert.match((found as { reason: string }).reason, /edge of the picture/);
    });
  }
});

describe('floors', () => {
  test('motorcycle_left.png: the concrete floor, not the motorcycle, the shelves or the wall', async () => {
    const { found, at } = await find('motorcycle', 'floor');
    assert.ok(found.mask);
    assert.ok(found.share > 0.12 && found.share < 0.4, `share ${found.share}`);
    assert.ok(at(0.1, 0.9) > 200 && at(0.5, 0.95) > 200, 'the floor in front is in');
    outside(at, [
      [0.4, 0.5, 'the motorcycle'],
      [0.3, 0.2, 'the wall'],
      [0.8, 0.3, 'the shelves'],
      [0.25, 0.45, 'the bench'],
    ]);
  });

  test('cloudy-street.jpg: no floor outdoors, though the cobbled street is even', async () => {
    const { found } = await find('cloudyStreet', 'floor');
    assert.equal(found.mask, null);
    assert.match((found as { reason: string }).reason, /outdoors/);
  });

  for (const name of ['coffee', 'street', 'astronaut', 'facade'] as const) {
    test(`${name}: no floor, with a reason`, async () => {
      const { found } = await find(name, 'floor');
      assert.equal(found.mask, null);
      assert.match((found as { reason: string }).reason, /bottom edge/);
    });
  }
});
