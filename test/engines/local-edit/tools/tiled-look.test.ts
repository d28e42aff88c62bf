import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foundText, wantsTiledLook } from '../../../../src/engines/local-edit/tools/tiled-look.js';
import { readThing } from '../../../../src/engines/local-edit/tools/thing-words.js';
import type { Detection } from '../../../../src/resources/detectors/detection.js';

const bird: Detection = { label: 'bird', score: 0.5, left: 10, top: 10, width: 20, height: 20 };
const wants = (phrase: string, found: Detection[] = [bird]) => wantsTiledLook(readThing(phrase)!, found);

test('the tiled look is taken when every thing of the class is asked for, or the smallest, or none was seen', () => {
  for (const phrase of ['the birds', 'all the cars', 'every bird', 'all birds on the left']) assert.ok(wants(phrase), phrase);
  assert.ok(wants('the smallest boat'));
  assert.ok(wants('the bird', []), 'the whole picture showed none');
});

test('not for one thing the whole picture already showed, nor for faces, text, plates or signs', () => {
  for (const phrase of ['the bird', 'the largest car', 'the second person', 'the person on the left']) {
    assert.ok(!wants(phrase), phrase);
  }
  for (const phrase of ['all faces', 'the text', 'the licence plate', 'the signs']) assert.ok(!wants(phrase, []), phrase);
});

test('x-retouch-found says how many the tiled pass alone found, only when it looked', () => {
  const boxes = [bird, { ...bird, left: 50 }, { ...bird, left: 90 }];
  assert.equal(foundText({ boxes }), 'bird');
  assert.equal(foundText({ boxes, tiledPass: { found: 2 } }), 'bird (3 found, 2 of them by the tiled pass)');
  assert.equal(foundText({ boxes: [bird], tiledPass: { found: 0 } }), 'bird (1 found, 0 of them by the tiled pass)');
});
