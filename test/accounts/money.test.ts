import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatUsd, parseUsd } from '../../src/accounts/money.js';

test('USD amounts are parsed exactly into micro-dollars', () => {
  assert.equal(parseUsd('5'), 5_000_000);
  assert.equal(parseUsd('0.04'), 40_000);
  assert.equal(parseUsd('$12.50'), 12_500_000);
  assert.equal(parseUsd('0.000001'), 1);
  // 0.1 + 0.2 is not 0.3 in floats; here it is exact.
  assert.equal(parseUsd('0.1') + parseUsd('0.2'), parseUsd('0.3'));
  for (const bad of ['', '-1', '1.0000001', 'abc', '1e3', '1,5']) assert.throws(() => parseUsd(bad), /Expected a USD amount/);
});

test('micro-dollars are formatted without float noise or trailing zeros', () => {
  assert.equal(formatUsd(40_000), '0.04');
  assert.equal(formatUsd(5_000_000), '5');
  assert.equal(formatUsd(1), '0.000001');
  assert.equal(formatUsd(-10_000), '-0.01');
});
