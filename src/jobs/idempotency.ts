import sharp from 'sharp';
import { ApiError } from '../errors.js';
import type { Store } from '../storage/store.js';
import { attachedProvenance } from '../provenance/attached.js';
import type { JobResult } from './image-job.js';

/**
 * Idempotent requests: a request carrying an `Idempotency-Key` that repeats an earlier successful one
 * (same key, same route and body) within the retention window gets the stored result again, uncharged.
 * The same key with a different body is a client bug and gets 422.
 */
export interface IdempotentRequest {
  keyId: string;
  /** The key's account, whose balance a replay reports. */
  accountId: string;
  idempotencyKey: string;
  bodyHash: string;
}

export async function findReplay(store: Store, ttlHours: number, request: IdempotentRequest): Promise<JobResult | null> {
  const notBefore = new Date(Date.now() - ttlHours * 3_600_000);
  const record = await store.getIdempotent(request.keyId, request.idempotencyKey, notBefore);
  if (!record) return null;
  if (record.requestHash !== request.bodyHash) {
    throw new ApiError(
      'IDEMPOTENCY_CONFLICT',
      'This Idempotency-Key was already used with a different request; use a new key for a new request',
    );
  }
  const [balance, size] = await Promise.all([store.getBalance(request.accountId), sharp(record.body).metadata()]);
  return {
    body: record.body,
    contentType: record.contentType,
    width: size.width ?? 0,
    height: size.height ?? 0,
    chargedMicros: 0,
    balanceMicros: balance.balanceMicros,
    replayed: true,
    // The first answer's headers about the picture hold for the replay too.
    blurred: record.blurred,
    ...(record.enhancedPrompt ? { enhancedPrompt: record.enhancedPrompt } : {}),
    // The stored bytes are the signed answer itself; what they carry is read back from them.
    ...withProvenance(attachedProvenance(record.body, size.xmp)),
  };
}

function withProvenance(attached: string | null): { provenance?: string } {
  return attached ? { provenance: attached } : {};
}

export async function storeReplay(store: Store, request: IdempotentRequest, result: JobResult): Promise<void> {
  await store.putIdempotent({
    keyId: request.keyId,
    idempotencyKey: request.idempotencyKey,
    requestHash: request.bodyHash,
    body: result.body,
    contentType: result.contentType,
    chargedMicros: result.chargedMicros,
    createdAt: new Date(),
    blurred: result.blurred === true,
    ...(result.enhancedPrompt ? { enhancedPrompt: result.enhancedPrompt } : {}),
  });
}
