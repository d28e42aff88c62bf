import { randomUUID } from 'node:crypto';
import { DEFAULT_LEASE_MS, type LeaseOptions } from './store.js';

/**
 * The reservations one store instance (one server process) holds open, whose leases it renews. A
 * reservation leaves the set when its commit or release is attempted, whether or not the attempt
 * succeeds: if the database was unreachable, nobody renews the lease any more and expiry ends the hold
 * (uncharged) instead of a live process keeping it forever.
 */
export class OpenReservations {
  readonly owner: string;
  readonly leaseMs: number;
  private readonly ids = new Set<number>();

  constructor(options: LeaseOptions = {}) {
    this.owner = options.owner ?? randomUUID();
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    if (!Number.isInteger(this.leaseMs) || this.leaseMs < 1) {
      throw new RangeError(`Expected a positive integer for leaseMs but received ${options.leaseMs}`);
    }
  }

  /** When a lease taken or renewed now ends. */
  expiryFromNow(): Date {
    return new Date(Date.now() + this.leaseMs);
  }

  add(id: number): void {
    this.ids.add(id);
  }

  list(): number[] {
    return [...this.ids];
  }

  /** Runs the commit or release of `id`; afterwards, whatever happened, this instance stops renewing it. */
  async ending<T>(id: number, work: () => Promise<T> | T): Promise<T> {
    try {
      return await work();
    } finally {
      this.ids.delete(id);
    }
  }
}
