import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../../src/errors.js';
import {
  BackendError,
  kindOfStatus,
  parseRetryAfter,
  apiErrorFromBackend,
} from '../../../src/engines/remote-kit/backend-error.js';
import { CircuitBreaker } from '../../../src/engines/remote-kit/circuit-breaker.js';
import { EndpointPool, EndpointState } from '../../../src/engines/remote-kit/endpoint-pool.js';
import { sleep } from '../../../src/util/abort.js';
import { backoffDelay } from '../../../src/engines/remote-kit/retry.js';

/** The resilience parts shared by every backend: backoff, error mapping, the circuit breaker, balancing. */

describe('backoff', () => {
  const policy = { baseDelayMs: 100, maxDelayMs: 1_000 };
  test('grows exponentially, with jitter in the upper half, and is capped', () => {
    assert.equal(
      backoffDelay(0, policy, undefined, () => 0),
      50,
    );
    assert.equal(
      backoffDelay(0, policy, undefined, () => 1),
      100,
    );
    assert.equal(
      backoffDelay(3, policy, undefined, () => 0),
      400,
    );
    assert.equal(
      backoffDelay(3, policy, undefined, () => 1),
      800,
    );
    assert.equal(
      backoffDelay(10, policy, undefined, () => 1),
      1_000,
    );
    const samples = new Set(Array.from({ length: 20 }, () => backoffDelay(2, policy)));
    assert.ok(samples.size > 1, 'jitter spreads the delays');
  });

  test('honours Retry-After up to the cap', () => {
    assert.equal(
      backoffDelay(0, policy, 700, () => 0),
      700,
    );
    assert.equal(
      backoffDelay(0, policy, 60_000, () => 0),
      1_000,
    );
    assert.equal(parseRetryAfter('3'), 3_000);
    assert.equal(parseRetryAfter(new Date(Date.now() + 10_000).toUTCString(), Date.now())! > 8_000, true);
    assert.equal(parseRetryAfter(undefined), undefined);
  });

  test('sleep stops at once when its signal aborts', async () => {
    const started = Date.now();
    await assert.rejects(sleep(5_000, AbortSignal.timeout(20)));
    assert.ok(Date.now() - started < 1_000);
  });
});

describe('error mapping', () => {
  test('statuses map to kinds; only connection errors, 429 and 503 are retryable', () => {
    assert.equal(kindOfStatus(429), 'capacity');
    assert.equal(kindOfStatus(503), 'capacity');
    assert.equal(kindOfStatus(400), 'invalid');
    assert.equal(kindOfStatus(401), 'failed');
    assert.equal(kindOfStatus(500), 'failed');
    assert.equal(kindOfStatus(400, true), 'refused');
    assert.equal(new BackendError('connection', 'x').retryable, true);
    assert.equal(new BackendError('capacity', 'x').retryable, true);
    for (const kind of ['refused', 'invalid', 'timeout', 'failed'] as const)
      assert.equal(new BackendError(kind, 'x').retryable, false);
  });

  test('client-facing errors carry the API status and no backend words', () => {
    const cases = [
      ['refused', 'CONTENT_VIOLATION', 422],
      ['invalid', 'INVALID_PARAMETERS', 400],
      ['capacity', 'MODEL_AT_CAPACITY', 503],
      ['connection', 'MODEL_UNAVAILABLE', 503],
      ['timeout', 'REQUEST_TIMEOUT', 504],
      ['failed', 'INFERENCE_FAILED', 500],
    ] as const;
    for (const [kind, code, status] of cases) {
      const error = apiErrorFromBackend(new BackendError(kind, 'http://10.1.2.3:8188 said: CUDA error in node 40'));
      assert.equal(error.code, code);
      assert.equal(error.status, status);
      assert.doesNotMatch(JSON.stringify(error.toBody()), /10\.1\.2\.3|CUDA|node 40/);
    }
    assert.equal(apiErrorFromBackend(new BackendError('refused', 'x')).headers['x-venice-is-content-violation'], 'true');
    assert.equal(apiErrorFromBackend(new BackendError('capacity', 'x', { retryAfterMs: 2_500 })).headers['Retry-After'], '3');
    // Venice separates an overloaded backend (429) from one at capacity (503); both are worth a retry.
    const overloaded = apiErrorFromBackend(new BackendError('capacity', 'x', { status: 429, retryAfterMs: 1_000 }));
    assert.deepEqual([overloaded.code, overloaded.status, overloaded.headers['Retry-After']], ['MODEL_OVERLOADED', 429, '1']);
    const atCapacity = apiErrorFromBackend(new BackendError('capacity', 'x', { status: 503 }));
    assert.deepEqual([atCapacity.code, atCapacity.status], ['MODEL_AT_CAPACITY', 503]);
    assert.ok(apiErrorFromBackend(new BackendError('connection', 'x')).headers['Retry-After']);
  });
});

describe('circuit breaker', () => {
  test('opens after the threshold, half-opens after the cool-down with one trial, closes on success', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 3, openMs: 1_000, now: () => now });
    breaker.onFailure();
    breaker.onFailure();
    assert.equal(breaker.state, 'closed');
    breaker.onFailure();
    assert.equal(breaker.state, 'open');
    assert.equal(breaker.tryAcquire(), false);
    now = 1_000;
    assert.equal(breaker.state, 'half-open');
    assert.equal(breaker.tryAcquire(), true);
    assert.equal(breaker.tryAcquire(), false, 'one trial at a time');
    breaker.onFailure();
    assert.equal(breaker.state, 'open', 'a failed trial opens it again');
    now = 2_000;
    assert.equal(breaker.tryAcquire(), true);
    breaker.onSuccess();
    assert.equal(breaker.state, 'closed');
  });

  test('a success resets the count of failures in a row', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 2, openMs: 1_000 });
    breaker.onFailure();
    breaker.onSuccess();
    breaker.onFailure();
    assert.equal(breaker.state, 'closed');
  });
});

describe('endpoint pool', () => {
  const endpoint = (name: string, maxConcurrent = 4) =>
    new EndpointState({ url: `http://127.0.0.1/${name}`, maxConcurrent }, name, { failureThreshold: 2, openMs: 60_000 });

  test('picks the endpoint with the fewest calls in flight', async () => {
    const [a, b, c] = [endpoint('a'), endpoint('b'), endpoint('c')];
    const pool = new EndpointPool([a, b, c]);
    a.outstanding = 2;
    b.outstanding = 1;
    c.outstanding = 3;
    const lease = await pool.acquire(AbortSignal.timeout(1_000));
    assert.equal(lease.endpoint, b);
    assert.equal(b.outstanding, 2);
    lease.release();
    lease.release();
    assert.equal(b.outstanding, 1, 'release is idempotent');
  });

  test('spreads idle load, skips down endpoints and open circuits, and avoids the failed one on retry', async () => {
    const [a, b, c] = [endpoint('a'), endpoint('b'), endpoint('c')];
    const pool = new EndpointPool([a, b, c]);
    const leases = await Promise.all([0, 1, 2].map(() => pool.acquire(AbortSignal.timeout(1_000))));
    assert.deepEqual(new Set(leases.map((l) => l.endpoint.label)), new Set(['a', 'b', 'c']));
    for (const lease of leases) lease.release();
    a.health = 'down';
    b.breaker.onFailure();
    b.breaker.onFailure();
    assert.equal((await pool.acquire(AbortSignal.timeout(1_000))).endpoint, c);
    b.breaker.onSuccess();
    assert.equal((await pool.acquire(AbortSignal.timeout(1_000), c)).endpoint, b);
  });

  test('waits for a free slot when every endpoint is full, and answers 503 when none is usable', async () => {
    const a = endpoint('a', 1);
    const pool = new EndpointPool([a]);
    const first = await pool.acquire(AbortSignal.timeout(1_000));
    const second = pool.acquire(AbortSignal.timeout(1_000));
    setTimeout(() => first.release(), 30);
    assert.equal((await second).endpoint, a);
    await assert.rejects(pool.acquire(AbortSignal.timeout(50)), (e: Error) => e.name === 'TimeoutError');
    a.health = 'down';
    await assert.rejects(pool.acquire(AbortSignal.timeout(50)), (e: unknown) => e instanceof ApiError && e.status === 503);
  });
});
