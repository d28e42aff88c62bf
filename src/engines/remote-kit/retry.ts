/**
 * Exponential backoff with jitter for the retries of a backend call. Jitter spreads the retries of many
 * requests that failed together (a restarting GPU server) so they do not come back in one wave.
 */
export interface BackoffPolicy {
  /** Delay before the first retry, before jitter. */
  baseDelayMs: number;
  /** Upper bound of any one delay, Retry-After included. */
  maxDelayMs: number;
}

/**
 * The delay before retry number `attempt` (0 for the first retry): "equal jitter", half fixed and half
 * random, so a retry never comes back at once yet still spreads. A server's Retry-After is honoured when
 * it asks for longer, up to `maxDelayMs`.
 *
 * @example backoffDelay(2, { baseDelayMs: 200, maxDelayMs: 5000 }) // between 400 and 800 ms
 */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  const jittered = ceiling / 2 + random() * (ceiling / 2);
  const wanted = retryAfterMs !== undefined ? Math.max(jittered, retryAfterMs) : jittered;
  return Math.min(policy.maxDelayMs, Math.round(wanted));
}
