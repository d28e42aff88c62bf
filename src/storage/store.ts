/**
 * The store interface: every read and write of keys, balances, reservations, the usage ledger and
 * idempotency records goes through it. The SQLite implementation is the embedded default; a PostgreSQL
 * store can implement the same interface without touching routes or services. Methods are async for that
 * reason even though better-sqlite3 is synchronous.
 *
 * Money is always integer micro-dollars (1 USD = 1,000,000). A key's *balance* is credits added minus
 * committed charges; its *available* amount is the balance minus open reservations.
 *
 * Reservations are leased: each store instance is one *owner* (one server process), every reservation it
 * makes carries that owner and an expiry, and the owner renews the leases of the reservations it still
 * holds (`renewLeases`, called by the server's lease keeper). Only the owner (commit / release) or expiry
 * (`expireReservations`, which any process may run) ends a reservation, so a CLI command or a replica that
 * starts never drops another live process's holds, and a killed process's holds end within one lease.
 */
export interface Store {
  createKey(input: NewKey): Promise<KeyRecord>;
  findKeyByHash(hash: string): Promise<KeyRecord | null>;
  getKey(id: string): Promise<KeyRecord | null>;
  listKeys(): Promise<KeyRecord[]>;
  /** Marks a key revoked; returns false when no such key exists. */
  revokeKey(id: string): Promise<boolean>;
  countKeys(): Promise<number>;

  addCredits(keyId: string, micros: number, note: string): Promise<Balance>;
  getBalance(keyId: string): Promise<Balance>;
  /**
   * Atomically holds `micros` of the key's available amount for one request.
   * Returns null, holding nothing, when the available amount cannot cover it.
   */
  reserve(keyId: string, requestId: string, micros: number, hold?: ReservationHold): Promise<Reservation | null>;
  /** Turns the hold into a charge and appends the usage row, in one transaction. */
  commit(reservation: Reservation, usage: UsageInput): Promise<Balance>;
  /** Drops the hold, charging nothing, and appends the usage row (charged 0), in one transaction. */
  release(reservation: Reservation, usage: UsageInput): Promise<void>;
  /**
   * Extends the lease of every reservation this instance holds open (made here, not yet committed or
   * released); returns how many were renewed. A commit or release that fails stops the renewal of its
   * reservation, so expiry ends it.
   */
  renewLeases(): Promise<number>;
  /**
   * Ends every reservation, of any owner, whose lease ran out: the hold is dropped, nothing is charged,
   * and a usage row (status 500, charged 0) records the request. Returns how many ended.
   */
  expireReservations(): Promise<number>;
  listUsage(filter: UsageFilter): Promise<UsageRow[]>;
  /** Sum of committed charges and of credits for a key: the ledger's own view of the balance. */
  ledgerTotals(keyId: string): Promise<{ creditsMicros: number; chargesMicros: number }>;

  getIdempotent(keyId: string, idempotencyKey: string, notBefore: Date): Promise<IdempotentRecord | null>;
  putIdempotent(record: IdempotentRecord): Promise<void>;

  close(): Promise<void>;
}

export interface NewKey {
  id: string;
  name: string;
  hash: string;
  /** The first characters of the key, kept to help people tell keys apart in listings. */
  displayPrefix: string;
}

export interface KeyRecord {
  id: string;
  name: string;
  displayPrefix: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface Balance {
  keyId: string;
  balanceMicros: number;
  reservedMicros: number;
  availableMicros: number;
}

/** What a reservation is for, kept so that its usage row can be written if the lease expires. */
export interface ReservationHold {
  route: string;
  model: string;
}

/** Lease settings of a store instance. */
export interface LeaseOptions {
  /** This process's id as the owner of its reservations; random by default. */
  owner?: string;
  /** How long a reservation outlives an owner that stopped renewing it. */
  leaseMs?: number;
}

/** The default lease: renewed every third of it, so two missed renewals still keep it. */
export const DEFAULT_LEASE_MS = 30_000;

/** The status written on the usage row of a reservation that ended by expiry (its server died). */
export const EXPIRED_RESERVATION_STATUS = 500;

export interface Reservation {
  id: number;
  keyId: string;
  requestId: string;
  micros: number;
}

export interface UsageInput {
  requestId: string;
  route: string;
  model: string;
  /** The HTTP status the client got. */
  status: number;
  durationMs: number;
  inputPixels: number;
  outputPixels: number;
}

export interface UsageRow extends UsageInput {
  keyId: string;
  chargedMicros: number;
  createdAt: string;
}

export interface UsageFilter {
  keyId?: string;
  since?: Date;
  limit?: number;
}

export interface IdempotentRecord {
  keyId: string;
  idempotencyKey: string;
  /** Hash of the route and the request body, to tell a true repeat from a key reused for another request. */
  requestHash: string;
  body: Buffer;
  contentType: string;
  chargedMicros: number;
  createdAt: Date;
  /** What the first answer's headers said about it, repeated by a replay: safe mode blurred it ... */
  blurred: boolean;
  /** ... and the prompt the upstream rewrote it into (x-venice-enhanced-prompt), if any. */
  enhancedPrompt?: string;
}
