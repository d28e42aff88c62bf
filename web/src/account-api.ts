import { ApiFailure, apiUrl } from './api-client.js';

/**
 * The account view's calls: Venice's key-management and billing routes, with the page's key. Answers
 * other than 2xx become ApiFailures carrying the API's own message.
 */

export interface KeyInfo {
  id: string;
  apiKeyType: 'ADMIN' | 'INFERENCE';
  description: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  last6Chars: string;
  consumptionLimits: { usd: number | null };
  limitPeriod: 'EPOCH' | 'MONTH' | 'LIFETIME';
  currentPeriodUsage?: { usd: string };
}

export interface UsageRow {
  timestamp: string;
  sku: string;
  amount: number;
}

export interface NewKey {
  apiKeyType: 'ADMIN' | 'INFERENCE';
  description: string;
  consumptionLimit?: { usd: number };
  limitPeriod?: string;
}

async function call(key: string, method: string, path: string, body?: object, accept = 'application/json'): Promise<Response> {
  const response = await fetch(apiUrl(path), {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      accept,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (!response.ok) {
    const answer = (await response.json().catch(() => ({}))) as { error?: string };
    throw new ApiFailure(response.status, answer.error ?? response.statusText);
  }
  return response;
}

export const listKeys = async (key: string) =>
  ((await (await call(key, 'GET', 'api/v1/api_keys')).json()) as { data: KeyInfo[] }).data;

export const createKey = async (key: string, body: NewKey) =>
  ((await (await call(key, 'POST', 'api/v1/api_keys', body)).json()) as { data: KeyInfo & { apiKey: string } }).data;

export const revokeKey = async (key: string, id: string) => {
  await call(key, 'DELETE', `api/v1/api_keys?id=${encodeURIComponent(id)}`);
};

export const balance = async (key: string) =>
  ((await (await call(key, 'GET', 'api/v1/billing/balance')).json()) as { balances: { usd: number | null } }).balances.usd ?? 0;

/** Every charge since `since`, page after page. */
export async function usageSince(key: string, since: Date): Promise<UsageRow[]> {
  const rows: UsageRow[] = [];
  let path = `api/v1/billing/usage-history?startTimestamp=${since.toISOString()}`;
  for (;;) {
    const page = (await (await call(key, 'GET', path)).json()) as { data: UsageRow[]; nextCursor: string | null };
    rows.push(...page.data);
    if (!page.nextCursor) return rows;
    path = `api/v1/billing/usage-history?cursor=${encodeURIComponent(page.nextCursor)}`;
  }
}

/** The same charges as one CSV file (Venice's columns): the pages joined under one header line. */
export async function usageCsv(key: string, since: Date): Promise<Blob> {
  const parts: string[] = [];
  let path = `api/v1/billing/usage-history?startTimestamp=${since.toISOString()}`;
  for (;;) {
    const response = await call(key, 'GET', path, undefined, 'text/csv');
    const text = await response.text();
    parts.push(parts.length === 0 ? text : text.slice(text.indexOf('\n') + 1));
    const cursor = response.headers.get('x-next-cursor');
    if (!cursor) return new Blob(parts, { type: 'text/csv' });
    path = `api/v1/billing/usage-history?cursor=${encodeURIComponent(cursor)}`;
  }
}
