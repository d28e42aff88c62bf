import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { createProgress, etaText } from '../../src/cli/progress.js';

/** A stream that says it is a terminal, as remove-bg's stdout is when a person runs it. */
function terminal(): { stream: PassThrough; text: () => string } {
  const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 120 });
  let text = '';
  stream.on('data', (chunk) => (text += chunk));
  return { stream, text: () => text };
}

test('the bar shows no ETA before the first photo has finished, then the time left', (t) => {
  const { stream, text } = terminal();
  const progress = createProgress({ stdout: stream, stderr: new PassThrough() }, 3);
  t.after(() => progress.stop()); // the bar's redraw timer must not outlive a failed assertion
  assert.match(text(), /0\/3 \| - images\/min \| ETA -/);
  assert.doesNotMatch(text(), /ETA 0s/, 'no "ETA 0s" before anything has finished');
  progress.item(1, 'a.jpg -> out/a.png');
  progress.stop();
  assert.match(text(), /1\/3 \| [\d.]+ images\/min \| ETA \d+s/);
});

test('the time left is the remaining photos at the rate so far, in readable units', () => {
  assert.equal(etaText(0, 10, 0), '-');
  assert.equal(etaText(0, 10, 60_000), '-');
  assert.equal(etaText(2, 10, 30_000), '2m 0s');
  assert.equal(etaText(1, 2, 4_000), '4s');
  assert.equal(etaText(10, 10, 90_000), '0s');
  assert.equal(etaText(1, 400, 30_000), '3h 19m');
});

test('without a terminal each photo is one plain line', () => {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk) => (text += chunk));
  const progress = createProgress({ stdout: out, stderr: new PassThrough() }, 2);
  progress.item(1, 'a.jpg -> out/a.png');
  progress.stop();
  assert.equal(text, '[1/2] a.jpg -> out/a.png\n');
});
