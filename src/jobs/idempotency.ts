import { ApiError } from '../errors.js';
import type { AppServices } from '../services.js';
import type { JobOutcome } from './run-image-job.js';

/**
 * Idempotent requests: a request carrying an `Idempotency-Key` that repeats an earlier successful one
 * (same key, same route and body) within the retention window gets the stored result again, uncharged.
 * The same key with a different body is a client bug and gets 422.
 */
export async function findReplay(
  services: AppServices,
  keyId: string,
  idempotencyKey: string,
  bodyHash: string,
): Promise<JobOutcome | null> {
  const notBefore = new Date(Date.now() - services.config.idempotencyTtlHours * 3_600_000);
  const record = await services.store.getIdempotent(keyId, idempotencyKey, notBefore);
  if (!record) return null;
  if (record.requestHash !== bodyHash) {
    throw new ApiError(
      'IDEMPOTENCY_CONFLICT',
      'This Idempotency-Key was already used with a different request; use a new key for a new request',
    );
  }
  const balance = await services.store.getBalance(keyId);
  return {
    body: record.body,
    contentType: record.contentType,
    chargedMicros: 0,
    balanceMicros: balance.balanceMicros,
    replayed: true,
  };
}

export async function storeReplay(
  services: AppServices,
  keyId: string,
  idempotencyKey: string,
  bodyHash: string,
  outcome: JobOutcome,
): Promise<void> {
  await services.store.putIdempotent({
    keyId,
    idempotencyKey,
    requestHash: bodyHash,
    body: outcome.body,
    contentType: outcome.contentType,
    chargedMicros: outcome.chargedMicros,
    createdAt: new Date(),
  });
}

/**
 * Runs one task at a time per name. Two requests with the same idempotency key are serialised, so the
 * second sees the first's stored result instead of running (and charging) again.
 */
export class ExclusiveRunner {
  private readonly tails = new Map<string, Promise<unknown>>();

  async runExclusive<T>(name: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(name) ?? Promise.resolve();
    const current = previous.catch(() => {}).then(task);
    this.tails.set(name, current);
    try {
      return await current;
    } finally {
      if (this.tails.get(name) === current) this.tails.delete(name);
    }
  }
}
