import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planSessions, sessionOptions } from '../../../src/resources/onnx/session-options.js';

test('the default plan is one worker using every core; configured workers share the cores', () => {
  assert.deepEqual(planSessions(0, 2), { workers: 1, intraOpThreads: 2 });
  assert.deepEqual(planSessions(2, 2), { workers: 2, intraOpThreads: 1 });
  assert.deepEqual(planSessions(3, 2), { workers: 3, intraOpThreads: 1 });
  assert.deepEqual(planSessions(0, 8), { workers: 1, intraOpThreads: 8 });
});

test('sessions never spin and run the graph sequentially with every optimisation', () => {
  const options = sessionOptions({ workers: 1, intraOpThreads: 2 });
  assert.equal(options.intraOpNumThreads, 2);
  assert.equal(options.executionMode, 'sequential');
  assert.equal(options.graphOptimizationLevel, 'all');
  assert.deepEqual(options.extra, { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } });
});
