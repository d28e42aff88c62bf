import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Detection } from '../../../src/resources/detectors/detection.js';
import { secondChoices } from '../../../src/resources/detectors/objects/confusions.js';

const at = (label: string, score: number, left = 100): Detection => ({ label, score, left, top: 50, width: 200, height: 150 });

test('a named class that is the second choice where a confusable class is confident takes that box', () => {
  const all = [at('dog', 0.48), at('bed', 0.24), at('person', 0.23), at('cat', 0.22)];
  assert.deepEqual(secondChoices(all, ['cat'], 0.35), [{ ...at('dog', 0.48), label: 'cat', score: 0.22 }]);
});

test('never across groups, below the floor, elsewhere in the picture, or without a confident neighbour', () => {
  const all = [at('dog', 0.48), at('person', 0.23), at('cat', 0.1), at('cat', 0.3, 600), at('cow', 0.3)];
  assert.deepEqual(secondChoices(all, ['person'], 0.35), [], 'person is in no group with dog');
  assert.deepEqual(secondChoices(all, ['cat'], 0.35), [], 'cat is 0.1 on the dog and elsewhere on the other');
  assert.deepEqual(secondChoices([at('car', 0.43), at('truck', 0.18)], ['truck'], 0.35), [], 'vehicles are no group');
  assert.deepEqual(secondChoices([at('cat', 0.3), at('dog', 0.2)], ['dog'], 0.35), [], 'nothing confident');
});
