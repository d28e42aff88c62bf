import { createHash, randomBytes } from 'node:crypto';
import type { KeyRecord, Store } from '../storage/store.js';
import { parseUsd } from './money.js';

/**
 * API keys: 32 random bytes, shown once, stored only as a SHA-256 hash. A fast hash is right here (unlike
 * for passwords) because the key has 256 bits of entropy: there is nothing to brute-force.
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

export async function createApiKey(store: Store, options: { name?: string; creditsUsd?: string } = {}): Promise<CreatedKey> {
  const key = KEY_PREFIX + randomBytes(32).toString('base64url');
  const id = `key_${randomBytes(6).toString('hex')}`;
  const credits = options.creditsUsd ? parseUsd(options.creditsUsd) : 0;
  const record = await store.createKey({
    id,
    name: options.name ?? 'default',
    hash: hashKey(key),
    displayPrefix: key.slice(0, KEY_PREFIX.length + 6),
  });
  if (credits > 0) await store.addCredits(id, credits, 'initial credits');
  return { record, key };
}

/** The key record for a presented secret, or null when it is unknown or revoked. */
export async function authenticate(store: Store, presented: string): Promise<KeyRecord | null> {
  if (!presented.startsWith(KEY_PREFIX) || presented.length > 200) return null;
  const record = await store.findKeyByHash(hashKey(presented));
  return record && !record.revokedAt ? record : null;
}
