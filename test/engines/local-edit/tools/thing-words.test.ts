import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Detection } from '../../../../src/resources/detectors/detection.js';
import { selectThings } from '../../../../src/engines/local-edit/tools/thing-selection.js';
import { readThing } from '../../../../src/engines/local-edit/tools/thing-words.js';

describe('readThing: nouns', () => {
  const cases: Array<[string, string, string[]]> = [
    ['the spoon', 'objects', ['spoon']],
    ['the people', 'objects', ['person']],
    ['the guy in the back', 'objects', ['person']],
    ['all faces', 'faces', ['face']],
    ['the watermark', 'text', ['text']],
    ['the date stamp', 'text', ['text']],
    ['the telly', 'objects', ['tv']],
    ['my phone', 'objects', ['cell phone']],
    ['the sofa', 'objects', ['couch']],
    ['the knives', 'objects', ['knife']],
    ['the license plate', 'plate', ['text']],
    ['the cell phone', 'objects', ['cell phone']],
  ];
  for (const [phrase, detector, labels] of cases) {
    test(`"${phrase}" → ${detector} ${labels}`, () => {
      const q = readThing(phrase)!;
      assert.equal(q.wanted.detector, detector);
      assert.deepEqual(q.wanted.labels, labels);
    });
  }
  test('things the detectors do not know are not claimed', () => {
    for (const phrase of ['the tree', 'the sky', 'the clouds', 'the shadows', 'the colors'])
      assert.equal(readThing(phrase), null, phrase);
  });
});

describe('readThing: qualifiers', () => {
  test('plural and "all" select every match; a singular one', () => {
    assert.equal(readThing('the faces')!.all, true);
    assert.equal(readThing('all the cars')!.all, true);
    assert.equal(readThing('the car')!.all, false);
  });
  test('side, ordinal, size and region', () => {
    assert.equal(readThing('the person on the left')!.side, 'left');
    assert.deepEqual(readThing('the second person from the right')!, {
      ...readThing('the second person from the right')!,
      ordinal: 2,
      side: 'right',
    });
    assert.equal(readThing('the largest dog')!.size, 'largest');
    assert.deepEqual(readThing('the text in the bottom right corner')!.region, { x: 'right', y: 'bottom' });
    assert.equal(readThing('the man in the middle')!.side, 'centre');
  });
});

describe('selectThings', () => {
  const box = (label: string, left: number, top: number, size: number): Detection => ({
    label,
    score: 0.9,
    left,
    top,
    width: size,
    height: size,
  });
  const people = [box('person', 10, 100, 50), box('person', 300, 100, 80), box('person', 600, 100, 30)];
  const image = { width: 800, height: 600 };
  test('on the left / on the right / the second from the left', () => {
    assert.equal(selectThings(people, readThing('the person on the left')!, image)[0].left, 10);
    assert.equal(selectThings(people, readThing('the person on the right')!, image)[0].left, 600);
    assert.equal(selectThings(people, readThing('the second person')!, image)[0].left, 300);
  });
  test('largest, smallest, and "the person" means the most prominent', () => {
    assert.equal(selectThings(people, readThing('the smallest person')!, image)[0].left, 600);
    assert.equal(selectThings(people, readThing('the person')!, image)[0].left, 300);
  });
  test('plural takes all; a region keeps those inside; an ordinal past the end finds nothing', () => {
    assert.equal(selectThings(people, readThing('the people')!, image).length, 3);
    assert.equal(selectThings(people, readThing('the people on the left')!, image).length, 2);
    assert.deepEqual(selectThings(people, readThing('the person in the bottom right corner')!, image), []);
    assert.deepEqual(selectThings(people, readThing('the fourth person')!, image), []);
  });
  test('a user mask restricts the search', () => {
    const within = { data: new Uint8Array(800 * 600), width: 800, height: 600 };
    for (let y = 0; y < 600; y++) within.data.fill(255, y * 800 + 500, y * 800 + 800);
    assert.deepEqual(
      selectThings(people, readThing('the people')!, image, within).map((d) => d.left),
      [600],
    );
  });
});

describe('readThing: text on a carrier', () => {
  test('"the text from the sign", "the writing on the car": the lines on that thing only', () => {
    assert.equal(readThing('the text from the sign')?.on?.wanted.detector, 'sign');
    assert.deepEqual(readThing('the writing on the car')?.on?.wanted.labels, ['car']);
    assert.equal(readThing('the lettering off the bus')?.on?.wanted.name, 'bus');
  });

  test('a place or an unknown carrier is not a carrier', () => {
    assert.equal(readThing('the text in the bottom right corner')?.on, undefined);
    assert.equal(readThing('the logo on the shirt')?.on, undefined);
    assert.equal(readThing('the text from the photo')?.on, undefined);
  });
});
