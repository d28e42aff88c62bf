import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError } from '../../src/errors.js';
import { pinnedLookup, resolveVettedAddresses, type HostResolver, type ResolvedAddress } from '../../src/inputs/resolve-host.js';
import { createAddressGuard } from '../../src/inputs/url-guard.js';

const PUBLIC: ResolvedAddress = { address: '93.184.216.34', family: 4 };
const PUBLIC_V6: ResolvedAddress = { address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 };
const PRIVATE: ResolvedAddress = { address: '10.0.0.7', family: 4 };

function resolverOf(table: Record<string, ResolvedAddress[]>): HostResolver & { calls: string[] } {
  const calls: string[] = [];
  const resolve = async (hostname: string) => {
    calls.push(hostname);
    const found = table[hostname];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return found;
  };
  return Object.assign(resolve, { calls });
}

async function refusedWith(promise: Promise<unknown>, message: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof ApiError);
    assert.equal(error.code, 'IMAGE_FETCH_FAILED');
    assert.match(error.message, message);
    assert.doesNotMatch(error.message, /\d+\.\d+\.\d+\.\d+|::/, 'no address in the message');
    return true;
  });
}

describe('resolveVettedAddresses', () => {
  const signal = new AbortController().signal;
  const guard = createAddressGuard([]);

  test('returns every address of a public host, after a single lookup', async () => {
    const resolver = resolverOf({ 'images.example': [PUBLIC, PUBLIC_V6] });
    assert.deepEqual(await resolveVettedAddresses('Images.Example.', guard, resolver, signal), [PUBLIC, PUBLIC_V6]);
    assert.deepEqual(resolver.calls, ['images.example']);
  });

  test('one private address among public ones refuses the host', async () => {
    const resolver = resolverOf({ 'mixed.example': [PUBLIC, PRIVATE] });
    await refusedWith(
      resolveVettedAddresses('mixed.example', guard, resolver, signal),
      /^image URL resolves to a private or reserved address; .*RETOUCH_FETCH_ALLOW/,
    );
  });

  test('an IPv4-mapped private answer is refused too', async () => {
    const resolver = resolverOf({ 'mapped.example': [{ address: '::ffff:127.0.0.1', family: 6 }] });
    await refusedWith(resolveVettedAddresses('mapped.example', guard, resolver, signal), /private or reserved/);
  });

  test('literal addresses are checked without a lookup', async () => {
    const resolver = resolverOf({});
    await refusedWith(
      resolveVettedAddresses('[fd00::1]', guard, resolver, signal),
      /^image URL points to a private or reserved address; .*RETOUCH_FETCH_ALLOW/,
    );
    assert.deepEqual(await resolveVettedAddresses('8.8.8.8', guard, resolver, signal), [{ address: '8.8.8.8', family: 4 }]);
    assert.deepEqual(resolver.calls, []);
  });

  test('an allowed host name may resolve to private addresses; an allowed range admits its addresses', async () => {
    const resolver = resolverOf({ 'images.internal': [PRIVATE], 'other.internal': [PRIVATE] });
    const allowing = createAddressGuard(['images.internal']);
    assert.deepEqual(await resolveVettedAddresses('images.internal', allowing, resolver, signal), [PRIVATE]);
    await refusedWith(resolveVettedAddresses('other.internal', allowing, resolver, signal), /private/);
    const byRange = createAddressGuard(['10.0.0.0/24']);
    assert.deepEqual(await resolveVettedAddresses('other.internal', byRange, resolver, signal), [PRIVATE]);
  });

  test('an unknown host or an empty answer is a clean 400', async () => {
    const resolver = resolverOf({ 'empty.example': [] });
    await refusedWith(
      resolveVettedAddresses('nowhere.example', guard, resolver, signal),
      /^image URL host could not be resolved$/,
    );
    await refusedWith(resolveVettedAddresses('empty.example', guard, resolver, signal), /could not be resolved/);
  });

  test('a lookup that hangs gives way to the abort signal', async () => {
    const hanging: HostResolver = () => new Promise(() => {});
    const started = Date.now();
    // A referenced timer (AbortSignal.timeout's is not) keeps this otherwise idle test process alive.
    const controller = new AbortController();
    setTimeout(() => controller.abort(new DOMException('deadline passed', 'TimeoutError')), 50);
    await assert.rejects(resolveVettedAddresses('slow.example', guard, hanging, controller.signal), { name: 'TimeoutError' });
    assert.ok(Date.now() - started < 1_000);
  });
});

describe('pinnedLookup', () => {
  const lookup = pinnedLookup([PUBLIC, PUBLIC_V6]);
  const call = (options: object, using = lookup) =>
    new Promise<unknown[]>((resolve) =>
      (using as (...args: unknown[]) => void)('anything.example', options, (...args: unknown[]) => resolve(args)),
    );

  test('answers only with vetted addresses, whatever host it is asked about', async () => {
    assert.deepEqual(await call({ all: true }), [null, [PUBLIC, PUBLIC_V6]]);
    assert.deepEqual(await call({}), [null, PUBLIC.address, 4]);
  });

  test('honours a requested family, and fails rather than fall back to DNS', async () => {
    assert.deepEqual(await call({ family: 6 }), [null, PUBLIC_V6.address, 6]);
    assert.deepEqual(await call({ all: true, family: 4 }), [null, [PUBLIC]]);
    const [error] = await call({ family: 6 }, pinnedLookup([PUBLIC]));
    assert.equal((error as NodeJS.ErrnoException).code, 'ENOTFOUND');
  });
});
