import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AccountRecord, KeyLimits, KeyRecord, KeyType, Store } from '../storage/store.js';
import { parseUsd } from './money.js';

/**
 * API keys: 32 random bytes, shown once, stored only as a SHA-256 hash. A fast hash is right here (unlike
 * for passwords) because the key has 256 bits of entropy: there is nothing to brute-force. The CLI and the
 * HTTP routes both create keys and accounts with these functions.
 */
const KEY_PREFIX = 'rt_';

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export interface CreatedKey {
  record: KeyRecord;
  /** The secret, returned exactly once. */
  key: string;
}

export interface NewKeyOptions {
  /** The account the key belongs to; without one, a new account is made for it (named after the key). */
  accountId?: string;
  /** Credits given to the new account (only when no accountId is given). */
  creditsUsd?: string;
  type?: KeyType;
  /** Venice's `description`. */
  name?: string;
  expiresAt?: string | null;
  limits?: KeyLimits;
  /** Who creates it: the ADMIN key's id, or `cli`. */
  actor?: string;
}

export async function createAccount(
  store: Store,
  options: { name?: string; creditsUsd?: string; actor?: string } = {},
): Promise<AccountRecord> {
  const credits = options.creditsUsd ? parseUsd(options.creditsUsd) : 0;
  const account = await store.createAccount({ id: `acct_${randomBytes(6).toString('hex')}`, name: options.name ?? 'default' });
  if (credits > 0) await store.addCredits(account.id, credits, 'initial credits', options.actor ?? 'cli');
  return account;
}

export async function createApiKey(store: Store, options: NewKeyOptions = {}): Promise<CreatedKey> {
  const key = KEY_PREFIX + randomBytes(32).toString('base64url');
  const name = options.name ?? 'default';
  const accountId =
    options.accountId ?? (await createAccount(store, { name, creditsUsd: options.creditsUsd, actor: options.actor })).id;
  const record = await store.createKey(
    {
      id: `key_${randomBytes(6).toString('hex')}`,
      accountId,
      type: options.type ?? 'INFERENCE',
      name,
      hash: hashKey(key),
      displayPrefix: key.slice(0, KEY_PREFIX.length + 6),
      last6: key.slice(-6),
      expiresAt: options.expiresAt ?? null,
      limits: options.limits,
    },
    options.actor ?? 'cli',
  );
  return { record, key };
}

/** Whether a key may be used at `at`: not revoked, not past its expiry. */
export function isLive(key: KeyRecord, at = new Date()): boolean {
  return !key.revokedAt && (!key.expiresAt || Date.parse(key.expiresAt) > at.getTime());
}

/**
 * The key record for a presented secret, or null when it is unknown, revoked or expired. Read from the
 * database on every request (no cache), so a revocation holds at once on every replica. The lookup is by
 * the hash's index; the stored hash is then compared in constant time as well.
 */
export async function authenticate(store: Store, presented: string): Promise<KeyRecord | null> {
  if (!presented.startsWith(KEY_PREFIX) || presented.length > 200) return null;
  const hash = hashKey(presented);
  const record = await store.findKeyByHash(hash);
  if (!record || !timingSafeEqual(Buffer.from(record.hash, 'hex'), Buffer.from(hash, 'hex'))) return null;
  return isLive(record) ? record : null;
}
