import ipaddr from 'ipaddr.js';

/**
 * Which network addresses a server-side image fetch may reach. The default is "public unicast only":
 * anything ipaddr.js classifies otherwise (loopback, RFC 1918, fc00::/7, link-local, CGNAT, multicast,
 * unspecified, broadcast, documentation, 6to4, Teredo, NAT64, ...) is refused, unless the operator's
 * allow list names the host or a CIDR range that holds the address.
 *
 * @example
 * const guard = createAddressGuard(['127.0.0.1/32', 'images.internal']);
 * guard.isAddressAllowed('127.0.0.1'); // true (allowed range)
 * guard.isAddressAllowed('10.0.0.1');  // false (private)
 * guard.isHostAllowed('images.internal'); // true: every address it resolves to may be reached
 */
export interface AddressGuard {
  /** Whether a connection to this IP address (v4, v6 or IPv4-mapped v6) is permitted. */
  isAddressAllowed(address: string): boolean;
  /** Whether the operator allowed this host name outright, whatever it resolves to. */
  isHostAllowed(hostname: string): boolean;
}

type Parsed = ipaddr.IPv4 | ipaddr.IPv6;

/** IANA's global unicast block; other IPv6 space is reserved even where ipaddr.js says "unicast". */
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3');

/**
 * The range name of an address: `unicast` for an ordinary public address, otherwise why it is special
 * (`loopback`, `private`, `uniqueLocal`, `linkLocal`, `carrierGradeNat`, `multicast`, ...). IPv4-mapped
 * IPv6 addresses are classified as the IPv4 address they carry, because that is where a socket goes.
 * Returns `invalid` for a string that is not an IP address.
 *
 * @example classifyAddress('::ffff:10.1.2.3') // 'private'
 */
export function classifyAddress(address: string): string {
  const parsed = parseAddress(address);
  if (!parsed) return 'invalid';
  const range = parsed.range();
  // ipaddr.js calls the deprecated IPv4-compatible block (::/96) and other unassigned space "unicast";
  // none of it is reachable on the public internet, and some stacks route it to IPv4 (e.g. ::7f00:1).
  if (range === 'unicast' && parsed.kind() === 'ipv6' && !parsed.match(GLOBAL_UNICAST_V6)) return 'reservedV6';
  return range;
}

/**
 * Builds the guard from the operator's `inputs.fetch.allow` entries: host names ("images.internal"),
 * CIDR ranges ("10.0.0.0/8", "::1/128") or single addresses ("127.0.0.1"). A malformed entry throws at
 * start, naming it, so a typo cannot silently widen or narrow the policy.
 */
export function createAddressGuard(allow: readonly string[]): AddressGuard {
  const ranges: Array<[Parsed, number]> = [];
  const hosts = new Set<string>();
  allow.forEach((entry, index) => {
    const value = entry.trim();
    const range = parseRange(value);
    if (range) ranges.push(range);
    else if (isHostName(value)) hosts.add(normalizeHostname(value));
    else {
      throw new Error(
        `Expected a host name or CIDR range for inputs.fetch.allow[${index}] but received ${JSON.stringify(entry)}`,
      );
    }
  });

  return {
    isAddressAllowed(address) {
      const parsed = parseAddress(address);
      if (!parsed) return false;
      if (ranges.some((range) => sameKind(parsed, range[0]) && parsed.match(range))) return true;
      return classifyAddress(address) === 'unicast';
    },
    isHostAllowed(hostname) {
      return hosts.has(normalizeHostname(hostname));
    },
  };
}

/** Lower case, no trailing dot, no IPv6 brackets: the form a URL's hostname and the allow list share. */
export function normalizeHostname(hostname: string): string {
  let host = hostname.toLowerCase();
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return host.endsWith('.') ? host.slice(0, -1) : host;
}

/** Parses an address, unwrapping IPv4-mapped IPv6 to IPv4 and ignoring an IPv6 zone id. */
function parseAddress(address: string): Parsed | null {
  const bare = normalizeHostname(address).replace(/%.*$/, '');
  if (!ipaddr.isValid(bare)) return null;
  try {
    return ipaddr.process(bare);
  } catch {
    return null;
  }
}

function parseRange(value: string): [Parsed, number] | null {
  if (ipaddr.isValidCIDR(value)) {
    const [address, bits] = ipaddr.parseCIDR(value);
    // "::ffff:10.0.0.0/104" means the IPv4 range 10.0.0.0/8; store it in the form addresses are compared in.
    if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
      return [(address as ipaddr.IPv6).toIPv4Address(), bits - 96];
    }
    return [address, bits];
  }
  const single = parseAddress(value);
  return single ? [single, single.kind() === 'ipv4' ? 32 : 128] : null;
}

function sameKind(a: Parsed, b: Parsed): boolean {
  return a.kind() === b.kind();
}

function isHostName(value: string): boolean {
  return /^(?=.{1,253}\.?$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/i.test(value);
}
