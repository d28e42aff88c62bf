import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matteCoverage, matteWarning, NEARLY_EMPTY, NEARLY_FULL } from '../../../src/engines/segmentation/matte-coverage.js';

/** A 100x100 matte keeping `kept` pixels at full alpha, the rest at `rest`. */
function matte(kept: number, rest = 0) {
  const data = new Uint8Array(10_000).fill(rest);
  data.fill(255, 0, kept);
  return { data, width: 100, height: 100 };
}

test('coverage is the share of pixels kept at least half opaque', () => {
  assert.equal(matteCoverage(matte(0)), 0);
  assert.equal(matteCoverage(matte(2_500)), 0.25);
  assert.equal(matteCoverage(matte(0, 127)), 0, 'faint pixels are not kept');
  assert.equal(matteCoverage(matte(0, 128)), 1);
});

test('a nearly empty or nearly full matte gets a warning; one with a subject does not', () => {
  assert.match(matteWarning(matteCoverage(matte(50)))!, /keeps 0\.5% of the picture: no clear subject was found/);
  assert.match(matteWarning(0.0004)!, /keeps less than 0\.1% of the picture/);
  assert.match(matteWarning(0)!, /keeps 0\.0% of the picture/);
  assert.match(matteWarning(0.995)!, /keeps 99\.5% of the picture: no background was told apart/);
  for (const coverage of [NEARLY_EMPTY, 0.1, 0.5, 0.9, NEARLY_FULL])
    assert.equal(matteWarning(coverage), undefined, String(coverage));
});
