import assert from 'node:assert/strict';
import { test } from 'node:test';
import { effectiveScale } from '../../../src/resources/super-resolution/upscale-scale.js';

test('4x is kept while the output fits 16,777,216 pixels, then reduced to 2x, then refused', () => {
  assert.equal(effectiveScale(512, 512, 4), 4);
  assert.equal(effectiveScale(1024, 1024, 4), 4); // exactly 4096 x 4096
  assert.equal(effectiveScale(1025, 1024, 4), 2);
  assert.equal(effectiveScale(1600, 1200, 2), 2);
  assert.equal(effectiveScale(2048, 2048, 4), 2); // exactly 4096 x 4096 at 2x
  assert.throws(
    () => effectiveScale(2049, 2048, 4),
    (e: Error & { status?: number }) => e.status === 400 && /4,194,304 input pixels/.test(e.message),
  );
  assert.throws(() => effectiveScale(3000, 3000, 2), /16,777,216 pixels/);
});
