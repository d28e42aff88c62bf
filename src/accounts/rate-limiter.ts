/**
 * Per-key, per-route request limits: a token bucket per (key, route) that holds `requestsPerMinute` tokens
 * and refills continuously at that rate, so a client may burst up to its limit and then go on at the
 * steady rate. Buckets live in memory (one process serves the API); a bucket that has refilled to full
 * carries no information and is dropped, so memory follows the number of recently active clients.
 */

export interface RateLimitDecision {
  allowed: boolean;
  /** The bucket's capacity: requests per minute. */
  limit: number;
  /** Whole tokens left after this request. */
  remaining: number;
  /** Milliseconds until the bucket is full again. */
  resetMs: number;
  /** Seconds until one token is available (at least 1) when refused; 0 when allowed. */
  retryAfterSeconds: number;
}

export interface TokenBucketLimiterOptions {
  /** Milliseconds clock; injectable for tests. Defaults to `performance.now()`, which never goes back. */
  now?: () => number;
  /** Hard cap on buckets held; past it the least recently used is dropped (it then starts full). */
  maxBuckets?: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
  rate: number;
}

const MINUTE_MS = 60_000;
/** Float refills can land a hair under a whole token; this much short still counts as the token. */
const EPSILON = 1e-9;
const DEFAULT_MAX_BUCKETS = 100_000;

/**
 * @example
 * const limiter = new TokenBucketLimiter({});
 * const decision = limiter.take(`${keyId}:/image/edit`, 60);
 * if (!decision.allowed) throw new ApiError('RATE_LIMITED', 'Rate limit exceeded', {
 *   headers: { 'Retry-After': String(decision.retryAfterSeconds) } });
 */
export class TokenBucketLimiter {
  private readonly now: () => number;
  private readonly maxBuckets: number;
  /** In least-recently-used order: a bucket is moved to the end whenever it is used. */
  private readonly buckets = new Map<string, Bucket>();
  private lastSweep: number;

  constructor(options: TokenBucketLimiterOptions = {}) {
    this.now = options.now ?? (() => performance.now());
    this.maxBuckets = options.maxBuckets ?? DEFAULT_MAX_BUCKETS;
    if (!Number.isInteger(this.maxBuckets) || this.maxBuckets < 1) {
      throw new RangeError(`Expected a positive integer for maxBuckets but received ${options.maxBuckets}`);
    }
    this.lastSweep = this.now();
  }

  /** Buckets currently held (for metrics and tests). */
  get size(): number {
    return this.buckets.size;
  }

  /** Takes one token from the bucket of (key, route) whose capacity is requestsPerMinute and which refills continuously at requestsPerMinute per minute. */
  take(bucketKey: string, requestsPerMinute: number): RateLimitDecision {
    if (!Number.isFinite(requestsPerMinute) || requestsPerMinute <= 0) {
      throw new RangeError(`Expected a positive number for requestsPerMinute but received ${requestsPerMinute}`);
    }
    const now = this.now();
    this.sweep(now);
    const bucket = this.refilled(bucketKey, requestsPerMinute, now);
    const allowed = bucket.tokens >= 1 - EPSILON;
    if (allowed) bucket.tokens = Math.max(0, bucket.tokens - 1);

    const msPerToken = MINUTE_MS / requestsPerMinute;
    return {
      allowed,
      limit: requestsPerMinute,
      remaining: Math.floor(bucket.tokens + EPSILON),
      resetMs: Math.max(0, Math.ceil((requestsPerMinute - bucket.tokens) * msPerToken)),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(((1 - bucket.tokens) * msPerToken) / 1000)),
    };
  }

  /** The bucket brought up to `now`, created full if unknown, and marked most recently used. */
  private refilled(key: string, rate: number, now: number): Bucket {
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = { tokens: rate, updatedAt: now, rate };
      if (this.buckets.size >= this.maxBuckets) {
        const oldest = this.buckets.keys().next().value;
        if (oldest !== undefined) this.buckets.delete(oldest);
      }
    } else {
      this.buckets.delete(key);
      const elapsed = Math.max(0, now - bucket.updatedAt);
      // A changed limit (config reload) takes effect at once; tokens never exceed the new capacity.
      bucket.tokens = Math.min(rate, bucket.tokens + (elapsed * bucket.rate) / MINUTE_MS);
      bucket.rate = rate;
      bucket.updatedAt = now;
    }
    this.buckets.set(key, bucket);
    return bucket;
  }

  /**
   * Drops buckets that have refilled to full: a new bucket starts full, so they hold nothing worth
   * keeping. A bucket never takes more than a minute to fill (it refills its whole capacity per minute),
   * so walking from the least recently used, everything idle for a minute goes and the walk stops at the
   * first bucket used more recently. Runs at most once a minute.
   */
  private sweep(now: number): void {
    if (now - this.lastSweep < MINUTE_MS) return;
    this.lastSweep = now;
    for (const [key, bucket] of this.buckets) {
      if (now - bucket.updatedAt < MINUTE_MS) break;
      this.buckets.delete(key);
    }
  }
}
