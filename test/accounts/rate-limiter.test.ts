import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TokenBucketLimiter } from '../../src/accounts/rate-limiter.js';

/** A clock the test moves by hand. */
function fakeClock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('TokenBucketLimiter', () => {
  test('allows a burst up to the limit, then refuses', () => {
    const clock = fakeClock();
    const limiter = new TokenBucketLimiter({ now: clock.now });
    const remaining: number[] = [];
    for (let i = 0; i < 5; i++) {
      const decision = limiter.take('key-a:/image/edit', 5);
      assert.equal(decision.allowed, true);
      assert.equal(decision.limit, 5);
      assert.equal(decision.retryAfterSeconds, 0);
      remaining.push(decision.remaining);
    }
    assert.deepEqual(remaining, [4, 3, 2, 1, 0]);
    const refused = limiter.take('key-a:/image/edit', 5);
    assert.equal(refused.allowed, false);
    assert.equal(refused.remaining, 0);
  });

  test('refills continuously at the per-minute rate', () => {
    const clock = fakeClock();
    const limiter = new TokenBucketLimiter({ now: clock.now });
    for (let i = 0; i < 60; i++) assert.equal(limiter.take('k', 60).allowed, true);
    assert.equal(limiter.take('k', 60).allowed, false);

    clock.advance(999); // 60 per minute is one token a second
    assert.equal(limiter.take('k', 60).allowed, false);
    clock.advance(1);
    const decision = limiter.take('k', 60);
    assert.equal(decision.allowed, true);
    assert.equal(decision.remaining, 0);

    clock.advance(10_000);
    assert.equal(limiter.take('k', 60).remaining, 9);
  });

  test('never holds more than its capacity', () => {
    const clock = fakeClock();
    const limiter = new TokenBucketLimiter({ now: clock.now });
    limiter.take('k', 10);
    clock.advance(60 * 60_000);
    assert.equal(limiter.take('k', 10).remaining, 9);
  });

  test('keeps keys and routes independent', () => {
    const clock = fakeClock();
    const limiter = new TokenBucketLimiter({ now: clock.now });
    assert.equal(limiter.take('key-a:/image/edit', 1).allowed, true);
    assert.equal(limiter.take('key-a:/image/edit', 1).allowed, false);
    assert.equal(limiter.take('key-b:/image/edit', 1).allowed, true);
    assert.equal(limiter.take('key-a:/image/background-remove', 1).allowed, true);
  });

  test('reports the time to a full bucket and the time to the next token', () => {
    const clock = fakeClock();
    const limiter = new TokenBucketLimiter({ now: clock.now });
    const first = limiter.take('k', 2); // 30 s per token
    assert.equal(first.resetMs, 30_000);
    const second = limiter.take('k', 2);
    assert.equal(second.resetMs, 60_000);
    clock.advance(12_500);
    const refused = limiter.take('k', 2);
    assert.equal(refused.allowed, false);
    assert.equal(refused.retryAfterSeconds, 18); // 17.5 s rounded up
    assert.equal(refused.resetMs, 47_500);
  });

  test('asks for at least one second before a retry', () => {
    const clock = fakeClock();
    const limiter = new TokenBucketLimiter({ now: clock.now });
    for (let i = 0; i < 6000; i++) limiter.take('k', 6000);
    clock.advance(5); // half of the 10 ms a token takes
    const refused = limiter.take('k', 6000);
    assert.equal(refused.allowed, false);
    assert.equal(refused.retryAfterSeconds, 1);
  });

  test('applies a changed limit at once', () => {
    const clock = fakeClock();
    const limiter = new TokenBucketLimiter({ now: clock.now });
    limiter.take('k', 100);
    const lowered = limiter.take('k', 3);
    assert.equal(lowered.allowed, true);
    assert.equal(lowered.remaining, 2);
  });

  test('evicts buckets that have refilled to full', () => {
    const clock = fakeClock();
    const limiter = new TokenBucketLimiter({ now: clock.now });
    for (let i = 0; i < 100; i++) limiter.take(`idle-${i}`, 10);
    assert.equal(limiter.size, 100);
    clock.advance(61_000);
    limiter.take('active', 10);
    assert.equal(limiter.size, 1);
    // An evicted bucket comes back full, exactly as if it had been kept.
    assert.equal(limiter.take('idle-0', 10).remaining, 9);
  });

  test('keeps memory bounded with least-recently-used eviction', () => {
    const clock = fakeClock();
    const limiter = new TokenBucketLimiter({ now: clock.now, maxBuckets: 3 });
    limiter.take('a', 1);
    limiter.take('b', 1);
    limiter.take('c', 1);
    limiter.take('a', 1); // refused, but makes "a" the most recently used
    limiter.take('d', 1); // evicts "b"
    assert.equal(limiter.size, 3);
    assert.equal(limiter.take('a', 1).allowed, false, 'a is still tracked');
    assert.equal(limiter.take('c', 1).allowed, false, 'c is still tracked');
    // "d" evicted the least recently used, so "b" starts again with a full bucket.
    assert.equal(limiter.take('b', 1).allowed, true);
  });

  test('rejects nonsense limits', () => {
    const limiter = new TokenBucketLimiter({});
    assert.throws(() => limiter.take('k', 0), RangeError);
    assert.throws(() => limiter.take('k', Number.NaN), RangeError);
    assert.throws(() => new TokenBucketLimiter({ maxBuckets: 0 }), RangeError);
  });
});
