import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findStuff } from '../../../src/imaging/stuff/find-stuff.js';
import { STRAND_RATIO, strandRatio } from '../../../src/imaging/stuff/strand-texture.js';
import { loadPhoto } from '../photo-fixtures.js';

/** Fur is not foliage: the baboon's olive fur has the colour and the texture of leaves, but finer. */

test("the baboon's fur is neither foliage nor grass, and says why", async () => {
  const baboon = await loadPhoto('baboon');
  for (const kind of ['foliage', 'grass'] as const) {
    const found = findStuff({ ...baboon, kind });
    assert.equal(found.mask, null, `${kind} was found on the baboon`);
    assert.match('reason' in found ? found.reason : '', /fur or hair/);
  }
});

test("the street's leaves are still foliage, at full and at half size", async () => {
  for (const size of [undefined, 400]) {
    const street = await loadPhoto('street', size);
    const found = findStuff({ ...street, kind: 'foliage' });
    assert.ok(found.mask, `no foliage on the street at ${size ?? 'full'} size: ${'reason' in found ? found.reason : ''}`);
    const ratio = strandRatio(street.data, street.width, street.height, 3, found.mask);
    assert.ok(ratio < STRAND_RATIO - 0.1, `the leaves measure ${ratio.toFixed(2)}`);
  }
});

test('the measure: strands a pixel wide score above the limit, blobs of several pixels below', () => {
  const width = 120;
  const height = 120;
  const mask = new Uint8Array(width * height).fill(255);
  // Hair: one-pixel light and dark columns, wavering. Leaves: 6-pixel light blobs on a dark ground.
  const hair = new Uint8Array(width * height * 3);
  const leaves = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 3;
      hair.fill((x + (y >> 3)) % 2 === 0 ? 160 : 60, p, p + 3);
      leaves.fill((Math.floor(x / 6) + Math.floor(y / 6)) % 3 === 0 ? 170 : 50, p, p + 3);
    }
  }
  assert.ok(strandRatio(hair, width, height, 3, mask) > STRAND_RATIO);
  assert.ok(strandRatio(leaves, width, height, 3, mask) < STRAND_RATIO);
});
