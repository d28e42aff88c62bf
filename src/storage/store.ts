/**
 * The store interface: every read and write of keys, balances, reservations, the usage ledger and
 * idempotency records goes through it. The SQLite implementation is the embedded default; a PostgreSQL
 * store can implement the same interface without touching routes or services. Methods are async for that
 * reason even though better-sqlite3 is synchronous.
 *
 * Money is always integer micro-dollars (1 USD = 1,000,000). An *account* holds the money: its *balance*
 * is credits added minus committed charges; its *available* amount is the balance minus open
 * reservations. *Keys* belong to an account; each may have a spend limit per period, counted in the same
 * atomic step that reserves (`admit`).
 *
 * Reservations are leased: each store instance is one *owner* (one server process), every reservation it
 * makes carries that owner and an expiry, and the owner renews the leases of the reservations it still
 * holds (`renewLeases`, called by the server's lease keeper). Only the owner (commit / release) or expiry
 * (`expireReservations`, which any process may run) ends a reservation, so a CLI command or a replica that
 * starts never drops another live process's holds, and a killed process's holds end within one lease.
 */
export interface Store {
  createAccount(input: NewAccount): Promise<AccountRecord>;
  getAccount(id: string): Promise<AccountRecord | null>;
  listAccounts(): Promise<AccountRecord[]>;

  /** Creates a key in an existing account and records who did it (`actor`: a key id, or `cli`). */
  createKey(input: NewKey, actor: string): Promise<KeyRecord>;
  findKeyByHash(hash: string): Promise<KeyRecord | null>;
  getKey(id: string): Promise<KeyRecord | null>;
  /** Every key, or an account's keys; newest last. */
  listKeys(accountId?: string): Promise<KeyRecord[]>;
  /**
   * Changes a key of `accountId` (another account's key is not found: null). A new limit or period
   * recounts the key's spend in its period from the ledger, under the account's lock.
   */
  updateKey(accountId: string, id: string, patch: KeyPatch, actor: string): Promise<KeyRecord | null>;
  /** Marks a key revoked (of `accountId` when given); returns false when no such key exists. */
  revokeKey(id: string, actor?: string, accountId?: string): Promise<boolean>;
  countKeys(): Promise<number>;
  /** What each key of the account charged since `since` (committed charges), by key id. */
  keyChargesSince(accountId: string, since: Date): Promise<Map<string, number>>;

  addCredits(accountId: string, micros: number, note: string, actor?: string): Promise<Balance>;
  getBalance(accountId: string): Promise<Balance>;
  /**
   * The admission of one request, in one atomic step: the key must be live (not revoked, not expired),
   * its spend in the current period plus its open reservations plus `micros` within its limit, and the
   * account's available amount must cover `micros`. Then `micros` is held for the request.
   */
  admit(keyId: string, requestId: string, micros: number, hold?: ReservationHold): Promise<Admission>;
  /** `admit`, answering only the reservation (null when refused for any reason). */
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
  /** One page of an account's charges, oldest first, after the ledger position `afterId`. */
  chargesPage(query: ChargesQuery): Promise<ChargeRow[]>;
  /** Sum of committed charges and of credits for an account: the ledger's own view of the balance. */
  ledgerTotals(accountId: string): Promise<{ creditsMicros: number; chargesMicros: number }>;

  /** Records a refusal by a limit (keeps the newest 50 per account) and lists them, newest first. */
  recordLimitBreach(breach: LimitBreach): Promise<void>;
  listLimitBreaches(accountId: string): Promise<LimitBreachRow[]>;
  /** Who created, changed or revoked which key, oldest first. */
  listAudit(accountId: string): Promise<AuditRow[]>;

  getIdempotent(keyId: string, idempotencyKey: string, notBefore: Date): Promise<IdempotentRecord | null>;
  putIdempotent(record: IdempotentRecord): Promise<void>;

  close(): Promise<void>;
}

export interface NewAccount {
  id: string;
  name: string;
}

export interface AccountRecord {
  id: string;
  name: string;
  createdAt: string;
}

export const KEY_TYPES = ['ADMIN', 'INFERENCE'] as const;
export type KeyType = (typeof KEY_TYPES)[number];
/** Venice's windows of a spend limit: EPOCH is the UTC day. */
export const LIMIT_PERIODS = ['EPOCH', 'MONTH', 'LIFETIME'] as const;
export type LimitPeriod = (typeof LIMIT_PERIODS)[number];

/** What a key may spend in its period; null means no cap. DIEM is kept and shown, never spent here. */
export interface KeyLimits {
  usdMicros: number | null;
  diem: number | null;
  period: LimitPeriod;
}

export interface KeyPatch {
  description?: string;
  /** null removes the expiry. */
  expiresAt?: string | null;
  /** Only the fields given change; a null removes that cap. */
  limits?: { usdMicros?: number | null; diem?: number | null };
  period?: LimitPeriod;
}

export interface Admission {
  reservation: Reservation | null;
  /** Why it was refused: the key is revoked, expired or unknown; its spend limit; the account's balance. */
  refused?: 'key-inactive' | 'key-limit' | 'balance';
}

export interface NewKey {
  id: string;
  accountId: string;
  type: KeyType;
  /** Venice's `description`; the CLI calls it the key's name. */
  name: string;
  hash: string;
  /** The first characters of the key, kept to help people tell keys apart in listings. */
  displayPrefix: string;
  /** The last six characters (Venice's `last6Chars`). */
  last6: string;
  expiresAt?: string | null;
  limits?: KeyLimits;
}

export interface KeyRecord {
  id: string;
  accountId: string;
  /** SHA-256 of the secret (never the secret); compared in constant time by `authenticate`. */
  hash: string;
  type: KeyType;
  name: string;
  displayPrefix: string;
  /** Empty for keys made before accounts existed (only a hash and the prefix were kept). */
  last6: string;
  createdAt: string;
  revokedAt: string | null;
  expiresAt: string | null;
  lastUsedAt: string | null;
  limits: KeyLimits;
  /** Charged in the period that holds `spendPeriodStart` (0 once a new period began) ... */
  spendMicros: number;
  spendPeriodStart: string;
  /** ... and held by the key's open reservations. */
  spendReservedMicros: number;
}

export interface Balance {
  accountId: string;
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
  accountId: string;
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
  accountId: string;
  chargedMicros: number;
  createdAt: string;
}

export interface UsageFilter {
  keyId?: string;
  accountId?: string;
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

export interface ChargesQuery {
  accountId: string;
  /** Ledger position after which the page starts (0: from the beginning). */
  afterId: number;
  /** Inclusive start and exclusive end. */
  start?: Date;
  end?: Date;
  limit: number;
}

/** A committed charge, as the usage history shows it. */
export interface ChargeRow extends UsageRow {
  /** Its position in the ledger, for keyset paging. */
  id: number;
}

export interface LimitBreach {
  accountId: string;
  keyId: string;
  /** A model id, or `endpoint:api/v1/...` for a limit on a route. */
  modelId: string;
  /** Venice's names: RPM, RPD, FAILED_REQUESTS, and ours for a key's spend limit: SPEND_LIMIT. */
  type: string;
}

export interface LimitBreachRow extends LimitBreach {
  createdAt: string;
}

export interface AuditRow {
  accountId: string;
  /** Who did it: the ADMIN key's id, or `cli`. */
  actor: string;
  action: 'create' | 'update' | 'revoke' | 'credit';
  keyId: string | null;
  /** What changed, as JSON (never a secret). */
  details: string;
  createdAt: string;
}
