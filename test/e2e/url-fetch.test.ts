import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { after, before, describe, test } from 'node:test';
import { ApiError } from '../../src/errors.js';
import {
  createAddressGuard,
  createImageFetcher,
  createImageLoader,
  type HostResolver,
  type ImageLoaderOptions,
} from '../../src/inputs/index.js';

/**
 * URL inputs over real sockets. Every byte of traffic goes to a server on 127.0.0.1 (or ::1); private
 * targets elsewhere are named only in URLs and redirects that must be refused before any connection.
 */

const CAT = readFileSync(path.resolve('test/fixtures/chelsea.png'));

interface Served {
  url: string;
  hosts: string[];
  paths: string[];
  close(): Promise<void>;
}

async function serve(host: '127.0.0.1' | '::1'): Promise<Served> {
  const hosts: string[] = [];
  const paths: string[] = [];
  const server = http.createServer((req, res) => {
    hosts.push(req.headers.host ?? '');
    paths.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://x');
    const route = url.pathname;
    if (route === '/cat.png') return res.writeHead(200, { 'content-type': 'image/png', 'content-length': CAT.length }).end(CAT);
    if (route === '/chunked.png') {
      res.writeHead(200, { 'content-type': 'image/png' });
      return res.end(CAT); // no content-length: the size is only known by reading
    }
    if (route === '/missing.png') return res.writeHead(404).end('not here');
    if (route === '/redirect') return res.writeHead(302, { location: url.searchParams.get('to') ?? '/' }).end();
    if (route.startsWith('/chain/')) {
      const left = Number(route.slice('/chain/'.length));
      return res.writeHead(left > 0 ? 307 : 302, { location: left > 1 ? `/chain/${left - 1}` : '/cat.png' }).end();
    }
    if (route === '/slow.png') {
      res.writeHead(200, { 'content-type': 'image/png' });
      let offset = 0;
      const timer = setInterval(() => {
        res.write(CAT.subarray(offset, offset + 16));
        offset += 16;
      }, 50);
      return res.on('close', () => clearInterval(timer));
    }
    if (route === '/stall') return; // never answers
    res.writeHead(500).end();
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    hosts,
    paths,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const BASE: ImageLoaderOptions = {
  maxImageBytes: 25 * 1024 * 1024,
  fetch: { allow: ['127.0.0.1/32'], connectTimeoutMs: 2_000, totalTimeoutMs: 5_000, maxRedirects: 3 },
};

function loaderWith(
  fetch: Partial<ImageLoaderOptions['fetch']>,
  extra: Partial<ImageLoaderOptions> = {},
  resolveHost?: HostResolver,
) {
  return createImageLoader({ ...BASE, ...extra, fetch: { ...BASE.fetch, ...fetch } }, { resolveHost });
}

/** Asserts a refusal: its code, status and message, and that no address leaks into the message. */
function refused(code: string, message: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof ApiError, `expected an ApiError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.equal(error.status, code === 'PAYLOAD_TOO_LARGE' ? 413 : 400);
    assert.match(error.message, message);
    assert.doesNotMatch(error.message, /127\.0\.0\.1|10\.0\.0\.1|169\.254|::1|ffff/);
    return true;
  };
}

describe('URL inputs over a real socket', () => {
  let server: Served;
  before(async () => {
    server = await serve('127.0.0.1');
  });
  after(() => server.close());

  test('a URL on an allowed address is fetched and decoded', async () => {
    const image = await loaderWith({}).fromString(`${server.url}/cat.png`, 'image', { allowUrl: true });
    assert.deepEqual([image.width, image.height, image.channels], [451, 300, 3]);
    const chunked = await loaderWith({}).fromString(`${server.url}/chunked.png`, 'image', { allowUrl: true });
    assert.equal(chunked.width, 451);
  });

  test('without the allowance, loopback is refused and no request is made', async () => {
    const before = server.paths.length;
    await assert.rejects(
      loaderWith({ allow: [] }).fromString(`${server.url}/cat.png`, 'image', { allowUrl: true }),
      refused('IMAGE_FETCH_FAILED', /^image URL points to a private or reserved address; .*RETOUCH_FETCH_ALLOW/),
    );
    await assert.rejects(
      loaderWith({ allow: [] }).fromString(`http://localhost:${new URL(server.url).port}/cat.png`, 'image', { allowUrl: true }),
      refused('IMAGE_FETCH_FAILED', /^image URL resolves to a private or reserved address; .*RETOUCH_FETCH_ALLOW/),
    );
    assert.equal(server.paths.length, before);
  });

  test('a host name is resolved once and the socket goes to the vetted address, with Host kept', async () => {
    const port = new URL(server.url).port;
    const calls: string[] = [];
    const resolver: HostResolver = async (hostname) => {
      calls.push(hostname);
      return [{ address: '127.0.0.1', family: 4 }];
    };
    // images.test does not exist in DNS: reaching the server proves the pinned lookup was used.
    const image = await loaderWith({}, {}, resolver).fromString(`http://images.test:${port}/cat.png`, 'image', {
      allowUrl: true,
    });
    assert.equal(image.width, 451);
    assert.deepEqual(calls, ['images.test']);
    assert.equal(server.hosts.at(-1), `images.test:${port}`);
    // Allowed by name instead of by range.
    const byName = loaderWith({ allow: ['images.test'] }, {}, resolver);
    assert.equal((await byName.fromString(`http://images.test:${port}/cat.png`, 'image', { allowUrl: true })).width, 451);
  });

  test('a redirect from an allowed host to a private address is refused before connecting', async () => {
    for (const target of ['http://10.0.0.1/cat.png', 'http://169.254.169.254/latest/meta-data/']) {
      await assert.rejects(
        loaderWith({}).fromString(`${server.url}/redirect?to=${encodeURIComponent(target)}`, 'image', { allowUrl: true }),
        refused('IMAGE_FETCH_FAILED', /^image URL points to a private or reserved address; .*RETOUCH_FETCH_ALLOW/),
      );
    }
  });

  test('an IPv4-mapped IPv6 redirect target is checked as the IPv4 address it carries', async () => {
    const port = new URL(server.url).port;
    const resolver: HostResolver = async () => [{ address: '127.0.0.1', family: 4 }];
    const loader = loaderWith({ allow: ['images.test'] }, {}, resolver); // the name is allowed, loopback is not
    const start = `http://images.test:${port}/redirect?to=${encodeURIComponent(`http://[::ffff:127.0.0.1]:${port}/cat.png`)}`;
    const before = server.paths.length;
    await assert.rejects(
      loader.fromString(start, 'image', { allowUrl: true }),
      refused('IMAGE_FETCH_FAILED', /private or reserved/),
    );
    assert.deepEqual(
      server.paths.slice(before),
      [new URL(start).pathname + new URL(start).search],
      'only the first hop was made',
    );
  });

  test('up to maxRedirects redirects are followed, one more is refused', async () => {
    const image = await loaderWith({ maxRedirects: 3 }).fromString(`${server.url}/chain/3`, 'image', { allowUrl: true });
    assert.equal(image.width, 451);
    await assert.rejects(
      loaderWith({ maxRedirects: 3 }).fromString(`${server.url}/chain/4`, 'image', { allowUrl: true }),
      refused('IMAGE_FETCH_FAILED', /^image URL redirected more than 3 times$/),
    );
    await assert.rejects(
      loaderWith({ maxRedirects: 0 }).fromString(`${server.url}/chain/1`, 'image', { allowUrl: true }),
      refused('IMAGE_FETCH_FAILED', /redirected more than 0 times/),
    );
  });

  test('non-http schemes are refused, directly and as redirect targets', async () => {
    const fetchImage = createImageFetcher({
      maxBytes: 1 << 20,
      connectTimeoutMs: 1_000,
      totalTimeoutMs: 2_000,
      maxRedirects: 3,
      guard: createAddressGuard(['127.0.0.1/32']),
    });
    for (const url of [
      'ftp://127.0.0.1/cat.png',
      'file:///etc/passwd',
      `data:image/png;base64,${CAT.toString('base64')}`,
      'ws://127.0.0.1/',
    ]) {
      await assert.rejects(fetchImage(url, 'image'), refused('IMAGE_FETCH_FAILED', /^image URL must use http or https$/), url);
    }
    for (const target of ['file:///etc/passwd', 'ftp://127.0.0.1/cat.png', 'gopher://127.0.0.1:25/']) {
      await assert.rejects(
        fetchImage(`${server.url}/redirect?to=${encodeURIComponent(target)}`, 'image'),
        refused('IMAGE_FETCH_FAILED', /^image URL redirected to a URL that is not http or https$/),
      );
    }
  });

  test('an oversized body is refused with a 413, declared or not', async () => {
    const loader = loaderWith({}, { maxImageBytes: 100 * 1024 });
    for (const route of ['/cat.png', '/chunked.png']) {
      await assert.rejects(
        loader.fromString(`${server.url}${route}`, 'image_url', { allowUrl: true }),
        refused('PAYLOAD_TOO_LARGE', /^image_url is too large: each image must be under 100 KB$/),
      );
    }
  });

  test('a slow body or a server that never answers hits the total timeout', async () => {
    const loader = loaderWith({ totalTimeoutMs: 400 });
    for (const route of ['/slow.png', '/stall']) {
      const started = Date.now();
      await assert.rejects(
        loader.fromString(`${server.url}${route}`, 'image', { allowUrl: true }),
        refused('IMAGE_FETCH_FAILED', /^image download timed out$/),
      );
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 350 && elapsed < 2_000, `${route} gave up after ${elapsed} ms`);
    }
  });

  test('HTTP errors and refused connections are clean 400s', async () => {
    await assert.rejects(
      loaderWith({}).fromString(`${server.url}/missing.png`, 'image', { allowUrl: true }),
      refused('IMAGE_FETCH_FAILED', /^image URL returned HTTP 404$/),
    );
    const closed = await serve('127.0.0.1');
    await closed.close();
    await assert.rejects(
      loaderWith({}).fromString(`${closed.url}/cat.png`, 'image', { allowUrl: true }),
      refused('IMAGE_FETCH_FAILED', /^could not connect to the image URL$/),
    );
  });

  test("the caller's abort signal stops the download", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(
      loaderWith({}).fromString(`${server.url}/stall`, 'image', { allowUrl: true, signal: controller.signal }),
      (error: unknown) => error instanceof ApiError && error.code === 'CLIENT_CLOSED',
    );
  });
});

describe('URL inputs over IPv6 loopback', () => {
  test('::1 is reachable only with its allowance', async (t) => {
    let server: Served;
    try {
      server = await serve('::1');
    } catch {
      t.skip('this machine has no IPv6 loopback');
      return;
    }
    try {
      const url = `${server.url}/cat.png`;
      assert.equal((await loaderWith({ allow: ['::1/128'] }).fromString(url, 'image', { allowUrl: true })).width, 451);
      await assert.rejects(
        loaderWith({ allow: ['127.0.0.1/32'] }).fromString(url, 'image', { allowUrl: true }),
        refused('IMAGE_FETCH_FAILED', /private or reserved/),
      );
    } finally {
      await server.close();
    }
  });
});

describe('URL inputs over TLS', () => {
  test('the TLS handshake goes to the vetted address with the host name as SNI, and verifies the certificate', async (t) => {
    const directory = mkdtempSync(path.join(os.tmpdir(), 'retouch-tls-'));
    try {
      try {
        execFileSync(
          'openssl',
          [
            'req',
            '-x509',
            '-newkey',
            'ec',
            '-pkeyopt',
            'ec_paramgen_curve:prime256v1',
            '-nodes',
            '-days',
            '1',
            '-subj',
            '/CN=images.test',
            '-keyout',
            path.join(directory, 'key.pem'),
            '-out',
            path.join(directory, 'cert.pem'),
          ],
          { stdio: 'ignore' },
        );
      } catch {
        t.skip('openssl is not available to make a test certificate');
        return;
      }
      const context = {
        key: readFileSync(path.join(directory, 'key.pem')),
        cert: readFileSync(path.join(directory, 'cert.pem')),
      };
      const serverNames: string[] = [];
      const server = https.createServer(
        {
          ...context,
          SNICallback: (name, callback) => {
            serverNames.push(name);
            callback(null, tls.createSecureContext(context));
          },
        },
        (_req, res) => res.end(CAT),
      );
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = server.address() as AddressInfo;
        const resolver: HostResolver = async () => [{ address: '127.0.0.1', family: 4 }];
        await assert.rejects(
          loaderWith({}, {}, resolver).fromString(`https://images.test:${port}/cat.png`, 'image', { allowUrl: true }),
          refused('IMAGE_FETCH_FAILED', /^the image URL's TLS certificate was not accepted$/),
        );
        assert.deepEqual(serverNames, ['images.test']);
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
