import type { KeyLimits, KeyRecord } from '../storage/store.js';
import { currentPeriodSpend } from '../storage/spend-period.js';

/**
 * Keys as Venice's key-management routes show them. Never the secret: the last six characters at most.
 * Usage figures are strings with 4 decimals, as Venice sends them.
 */
const usdNumber = (micros: number) => micros / 1_000_000;
const usdString = (micros: number) => (micros / 1_000_000).toFixed(4);

export function limitsView(limits: KeyLimits) {
  return {
    usd: limits.usdMicros === null ? null : usdNumber(limits.usdMicros),
    diem: limits.diem,
    vcu: null,
  };
}

/** The fields that PATCH answers with (and GET adds usage to). */
export function keySummary(key: KeyRecord) {
  return {
    id: key.id,
    apiKeyType: key.type,
    description: key.name,
    createdAt: key.createdAt,
    expiresAt: key.expiresAt,
    lastUsedAt: key.lastUsedAt,
    last6Chars: key.last6,
    consumptionLimits: limitsView(key.limits),
    limitPeriod: key.limits.period,
  };
}

/** A list entry or `GET /api_keys/{id}`: the summary plus usage (`currentPeriodUsage` only when limited). */
export function keyDetails(key: KeyRecord, trailingSevenDaysMicros: number, at = new Date()) {
  const limited = key.limits.usdMicros !== null || key.limits.diem !== null;
  return {
    ...keySummary(key),
    usage: { trailingSevenDays: { usd: usdString(trailingSevenDaysMicros), vcu: '0.0000', diem: '0.0000' } },
    ...(limited ? { currentPeriodUsage: { usd: usdString(currentPeriodSpend(key, at)), diem: '0.0000' } } : {}),
  };
}

/** What the key may still spend in its period (null: no cap), counting its open reservations. */
export function remainingUnderLimit(key: KeyRecord, at = new Date()): number | null {
  if (key.limits.usdMicros === null) return null;
  return Math.max(0, key.limits.usdMicros - currentPeriodSpend(key, at) - key.spendReservedMicros);
}

/** USD as a JSON number, from micro-dollars. */
export { usdNumber };
