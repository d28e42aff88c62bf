import { apiUrl } from './api-client.js';

/**
 * The key's balance, read as soon as the page has a key (on load, after Save, after a failed request),
 * so that it never reads "unknown" until the first paid request. Every read goes through `readBalance`,
 * so the route it asks can change in one place.
 */
export type BalanceReading = { kind: 'usd'; usd: string } | { kind: 'none'; why: string };

/**
 * Venice's `GET /api/v1/api_keys/rate_limits` (any key, about itself): `data.balances.USD` is what the
 * key can spend now. It costs nothing and needs no image.
 */
export async function readBalance(key: string, signal?: AbortSignal): Promise<BalanceReading> {
  if (!key) return { kind: 'none', why: 'unknown (no key)' };
  let response: Response;
  try {
    response = await fetch(apiUrl('api/v1/api_keys/rate_limits'), {
      headers: { authorization: `Bearer ${key}` },
      signal,
      credentials: 'omit',
    });
  } catch {
    return { kind: 'none', why: 'unknown (the server did not answer)' };
  }
  if (response.status === 401) return { kind: 'none', why: 'unknown (the key was not accepted)' };
  if (!response.ok) return { kind: 'none', why: `unknown (${response.status})` };
  const body = (await response.json().catch(() => ({}))) as { data?: { balances?: { USD?: unknown } } };
  const usd = body.data?.balances?.USD;
  // Two decimals at least, as the answers' x-retouch-balance-after-usd header writes money.
  return typeof usd === 'number' ? { kind: 'usd', usd: moneyText(usd) } : { kind: 'none', why: 'unknown' };
}

/** The text the Balance field shows for a reading. */
export function balanceText(reading: BalanceReading): string {
  return reading.kind === 'usd' ? `$${reading.usd}` : reading.why;
}

/** `5` -> `5.00`, `4.9612` -> `4.9612`: cents always, sub-cent digits when there are any. */
export function moneyText(usd: number | string): string {
  const text = String(usd);
  const decimals = text.split('.')[1]?.length ?? 0;
  return decimals >= 2 ? text : Number(usd).toFixed(2);
}
