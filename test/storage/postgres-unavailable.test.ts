import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../../src/errors.js';
import { asUnavailable, isConnectionFailure } from '../../src/storage/postgres/unavailable.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

test('connection failures are told apart from wrong statements', () => {
  for (const error of [
    withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
    withCode('terminating connection due to administrator command', '57P01'),
    withCode('the database system is starting up', '57P03'),
    withCode('connection failure', '08006'),
    withCode('sorry, too many clients already', '53300'),
    new Error('Connection terminated unexpectedly'),
    new Error('timeout exceeded when trying to connect'),
  ])
    assert.ok(isConnectionFailure(error), error.message);
  for (const error of [
    withCode('duplicate key value violates unique constraint', '23505'),
    withCode('new row violates check constraint', '23514'),
    withCode('syntax error', '42601'),
    new Error('something else'),
    'not an error',
  ])
    assert.ok(!isConnectionFailure(error), String(error));
});

test('an unreachable database is a 503 with Retry-After; other errors pass through as they are', () => {
  const cause = withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED');
  const mapped = asUnavailable(cause);
  assert.ok(mapped instanceof ApiError);
  assert.deepEqual([mapped.status, mapped.headers['Retry-After'], mapped.cause], [503, '5', cause]);
  const wrong = withCode('new row violates check constraint', '23514');
  assert.equal(asUnavailable(wrong), wrong);
});
