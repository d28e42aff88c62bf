import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classifyAddress, createAddressGuard, normalizeHostname } from '../../src/inputs/url-guard.js';

/** [address, expected range]; only `unicast` may be reached without an allowance. */
const TABLE: Array<[string, string]> = [
  // IPv4
  ['8.8.8.8', 'unicast'],
  ['93.184.216.34', 'unicast'],
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['10.0.0.1', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['172.32.0.1', 'unicast'],
  ['192.168.1.1', 'private'],
  ['169.254.169.254', 'linkLocal'], // cloud metadata endpoint
  ['100.64.0.1', 'carrierGradeNat'],
  ['100.127.255.255', 'carrierGradeNat'],
  ['100.128.0.1', 'unicast'],
  ['0.0.0.0', 'unspecified'],
  ['0.1.2.3', 'unspecified'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['255.255.255.255', 'broadcast'],
  ['240.0.0.1', 'reserved'],
  ['192.0.2.10', 'reserved'],
  ['198.18.0.1', 'reserved'],
  // IPv6
  ['2606:4700:4700::1111', 'unicast'],
  ['2001:4860:4860::8888', 'unicast'],
  ['::1', 'loopback'],
  ['::', 'unspecified'],
  ['fe80::1', 'linkLocal'],
  ['fe80::1%eth0', 'linkLocal'],
  ['fc00::1', 'uniqueLocal'],
  ['fd12:3456:789a::1', 'uniqueLocal'],
  ['ff02::1', 'multicast'],
  ['2001:db8::1', 'reserved'],
  ['64:ff9b::a00:1', 'rfc6052'], // NAT64 of 10.0.0.1
  ['2002:a00:1::1', '6to4'],
  ['2001::1', 'teredo'],
  ['::7f00:1', 'reservedV6'], // deprecated IPv4-compatible form of 127.0.0.1
  ['100::1', 'discard'],
  // IPv4-mapped IPv6: classified as the IPv4 address they carry.
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'],
  ['::ffff:10.0.0.1', 'private'],
  ['::ffff:169.254.169.254', 'linkLocal'],
  ['::ffff:8.8.8.8', 'unicast'],
  ['[::ffff:192.168.0.1]', 'private'],
  // Not addresses at all.
  ['localhost', 'invalid'],
  ['', 'invalid'],
];

describe('classifyAddress', () => {
  for (const [address, range] of TABLE) {
    test(`${address || '(empty)'} is ${range}`, () => {
      assert.equal(classifyAddress(address), range);
    });
  }
});

describe('createAddressGuard', () => {
  test('with no allowance, only public unicast addresses are allowed', () => {
    const guard = createAddressGuard([]);
    for (const [address, range] of TABLE) {
      assert.equal(guard.isAddressAllowed(address), range === 'unicast', address);
    }
  });

  test('CIDR entries allow exactly their ranges, IPv4-mapped forms included', () => {
    const guard = createAddressGuard(['127.0.0.1/32', '::1/128', '10.1.0.0/16', 'fd00::/8']);
    assert.equal(guard.isAddressAllowed('127.0.0.1'), true);
    assert.equal(guard.isAddressAllowed('::ffff:127.0.0.1'), true);
    assert.equal(guard.isAddressAllowed('127.0.0.2'), false);
    assert.equal(guard.isAddressAllowed('::1'), true);
    assert.equal(guard.isAddressAllowed('10.1.200.3'), true);
    assert.equal(guard.isAddressAllowed('10.2.0.1'), false);
    assert.equal(guard.isAddressAllowed('fd12::1'), true);
    assert.equal(guard.isAddressAllowed('fc00::1'), false);
    assert.equal(guard.isAddressAllowed('169.254.169.254'), false);
    assert.equal(guard.isAddressAllowed('8.8.8.8'), true, 'public addresses stay allowed');
  });

  test('a bare address is a single-address range; a mapped CIDR is its IPv4 range', () => {
    const guard = createAddressGuard(['192.168.5.5', '::ffff:172.16.0.0/112']);
    assert.equal(guard.isAddressAllowed('192.168.5.5'), true);
    assert.equal(guard.isAddressAllowed('192.168.5.6'), false);
    assert.equal(guard.isAddressAllowed('172.16.3.4'), true);
    assert.equal(guard.isAddressAllowed('172.17.0.1'), false);
  });

  test('host names are allowed by exact, case-insensitive name', () => {
    const guard = createAddressGuard(['images.internal', 'Cache.Local.']);
    assert.equal(guard.isHostAllowed('images.internal'), true);
    assert.equal(guard.isHostAllowed('IMAGES.internal.'), true);
    assert.equal(guard.isHostAllowed('cache.local'), true);
    assert.equal(guard.isHostAllowed('evil.images.internal'), false);
    assert.equal(guard.isHostAllowed('images.internal.evil.com'), false);
    assert.equal(guard.isAddressAllowed('10.0.0.1'), false, 'a host allowance does not open addresses');
  });

  test('a malformed entry is refused at start, naming it', () => {
    assert.throws(() => createAddressGuard(['10.0.0.0/33']), /inputs\.fetch\.allow\[0\].*"10\.0\.0\.0\/33"/);
    assert.throws(() => createAddressGuard(['ok.example', 'http://x/']), /allow\[1\]/);
    assert.throws(() => createAddressGuard(['']), /allow\[0\]/);
  });
});

test('normalizeHostname', () => {
  assert.equal(normalizeHostname('Example.COM.'), 'example.com');
  assert.equal(normalizeHostname('[::1]'), '::1');
});
