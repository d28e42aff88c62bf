import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { ApiError } from '../errors.js';
import { normalizeHostname, type AddressGuard } from './url-guard.js';

/** One resolved address and its family, as `dns.lookup` reports it. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * Resolves a host name to all of its addresses. The default asks the system resolver (getaddrinfo) once;
 * tests pass their own to map made-up names onto loopback without touching real DNS.
 *
 * @example const resolve: HostResolver = async () => [{ address: '127.0.0.1', family: 4 }];
 */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: HostResolver = async (hostname) => {
  const found = await dnsLookup(hostname, { all: true, verbatim: true });
  return found.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
};

/**
 * Resolves the host of an image URL once and checks every address it resolves to: one private address
 * among public ones is enough to refuse, since the connection could go to any of them. The result is the
 * only set of addresses the request may connect to (see `pinnedLookup`), so a DNS answer that changes
 * between this check and the connection (DNS rebinding) cannot redirect it.
 * Messages say why without naming the address, so the API cannot be used to map an internal network.
 */
export async function resolveVettedAddresses(
  hostname: string,
  guard: AddressGuard,
  resolver: HostResolver,
  signal: AbortSignal,
): Promise<ResolvedAddress[]> {
  const host = normalizeHostname(hostname);
  const literal = isIP(host);
  const addresses: ResolvedAddress[] = literal
    ? [{ address: host, family: literal === 6 ? 6 : 4 }]
    : await resolveOrFail(host, resolver, signal);
  if (addresses.length === 0) throw fetchFailed('image URL host could not be resolved');
  if (!literal && guard.isHostAllowed(host)) return addresses;
  for (const { address } of addresses) {
    if (!guard.isAddressAllowed(address)) {
      // Names the setting that allows it (a newcomer testing against localhost needs it), never the address.
      throw fetchFailed(
        `${literal ? 'image URL points to' : 'image URL resolves to'} a private or reserved address; ` +
          'a server operator can allow such hosts with RETOUCH_FETCH_ALLOW (inputs.fetch.allow)',
      );
    }
  }
  return addresses;
}

/**
 * A `lookup` for net/tls `connect` that answers only from addresses already vetted, so the socket layer
 * never performs a second DNS query. It honours both call shapes Node uses (`all: true` for
 * happy-eyeballs, and a single address) and a requested family.
 */
export function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
    const usable = family === 4 || family === 6 ? addresses.filter((a) => a.family === family) : addresses;
    if (usable.length === 0) {
      const error: NodeJS.ErrnoException = Object.assign(new Error('no vetted address of this family'), { code: 'ENOTFOUND' });
      callback(error, options.all ? [] : '');
    } else if (options.all) {
      callback(
        null,
        usable.map(({ address, family }) => ({ address, family })),
      );
    } else {
      callback(null, usable[0].address, usable[0].family);
    }
  };
}

export function fetchFailed(message: string, cause?: unknown): ApiError {
  return new ApiError('IMAGE_FETCH_FAILED', message, { cause });
}

async function resolveOrFail(host: string, resolver: HostResolver, signal: AbortSignal): Promise<ResolvedAddress[]> {
  // getaddrinfo cannot be cancelled, but the request must not wait on it past its own deadline.
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    signal.throwIfAborted();
    return await Promise.race([resolver(host), aborted]);
  } catch (error) {
    if (signal.aborted) throw error;
    throw fetchFailed('image URL host could not be resolved', error);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
