import { ApiError } from '../errors.js';
import type { Admission, Reservation, ReservationHold, Store } from '../storage/store.js';
import { formatUsd } from './money.js';

/** Venice's words for a key past its spend limit (a 402 whose body has only `error`). */
export const SPEND_LIMIT_MESSAGE =
  'API key USD spend limit exceeded. Your account may still have USD balance, but this API key has reached its configured USD spending limit.';

/**
 * Holds the price of one request for the key (store.admit: key live, within its spend limit, account
 * balance enough, all in one atomic step), or throws what the client is told: 401 for a key revoked or
 * expired since it was authenticated, 402 with Venice's message for a spend limit, 402 for the balance.
 */
export async function holdCredit(
  store: Store,
  key: { id: string; accountId: string },
  requestId: string,
  priceMicros: number,
  hold: ReservationHold,
): Promise<Reservation> {
  const admission: Admission = await store.admit(key.id, requestId, priceMicros, hold);
  if (admission.reservation) return admission.reservation;
  if (admission.refused === 'key-inactive') {
    throw new ApiError('UNAUTHORIZED', 'Authentication failed: the API key is unknown, revoked or expired');
  }
  if (admission.refused === 'key-limit') throw new ApiError('INSUFFICIENT_BALANCE', SPEND_LIMIT_MESSAGE);
  const balance = await store.getBalance(key.accountId);
  throw new ApiError(
    'INSUFFICIENT_BALANCE',
    `Insufficient balance: this request costs $${formatUsd(priceMicros)} and $${formatUsd(Math.max(0, balance.availableMicros))} is available`,
  );
}
