import type { LimitPeriod } from './store.js';

/**
 * The windows of a key's spend limit, as Venice defines them: EPOCH is the UTC day, MONTH the UTC
 * calendar month, LIFETIME never resets (its window starts at the Unix epoch). The PostgreSQL store
 * computes the same start in SQL from the database's clock (`retouch_period_start`).
 */
export const LIFETIME_START = new Date(0);

export function periodStart(period: LimitPeriod, at: Date): Date {
  if (period === 'EPOCH') return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  if (period === 'MONTH') return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  return LIFETIME_START;
}

/** When the next UTC day begins (Venice's `nextEpochBegins`). */
export function nextEpochBegins(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1));
}

/** What a key has charged in the current period: its counter, unless a new period began since. */
export function currentPeriodSpend(
  key: { limits: { period: LimitPeriod }; spendMicros: number; spendPeriodStart: string },
  at: Date,
): number {
  return Date.parse(key.spendPeriodStart) === periodStart(key.limits.period, at).getTime() ? key.spendMicros : 0;
}
