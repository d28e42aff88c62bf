import Fastify from 'fastify';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { PLAYGROUND_CSP, playgroundDir, registerPlayground } from '../../../src/http/routes/playground.js';
import { createTestApp, type TestApp } from '../../helpers/test-app.js';

// The page is built by `npm run build` (which `npm test` runs first) into dist/web.
let t: TestApp;
before(async () => {
  assert.ok(existsSync(join(playgroundDir(), 'index.html')), 'the playground is built (npm run build)');
  // One request per minute: any static route that went through the limiter would be refused at once.
  t = await createTestApp({ config: { rateLimits: { default: { requestsPerMinute: 1 } } } });
});
after(() => t.app.close());

test('the page is served at / and /playground, without a key, with its CSP and revalidation', async () => {
  for (const url of ['/', '/playground', '/', '/playground']) {
    const res = await t.app.inject(url);
    assert.equal(res.statusCode, 200, url);
    assert.match(res.headers['content-type'] as string, /^text\/html/);
    assert.equal(res.headers['content-security-policy'], PLAYGROUND_CSP);
    assert.equal(res.headers['cache-control'], 'no-cache');
    assert.equal(res.headers['x-ratelimit-limit-requests'], undefined, 'static routes are not rate-limited');
    assert.match(res.body, /<title>retouch playground<\/title>/);
  }
});

test('the page has no inline script or style and only relative asset URLs', async () => {
  const html = (await t.app.inject('/')).body;
  assert.doesNotMatch(html, /<script(?![^>]*\ssrc=)[^>]*>/, 'every script has a src');
  assert.doesNotMatch(html, /<style|\sstyle=/, 'no inline style');
  for (const [, url] of html.matchAll(/(?:src|href)="([^"]+)"/g)) assert.match(url, /^\.\/assets\//, url);
});

test('assets are served with long-lived immutable caching; a path outside them is not', async () => {
  const html = (await t.app.inject('/')).body;
  const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
  assert.ok(script);
  const res = await t.app.inject(`/${script}`);
  assert.equal(res.statusCode, 200);
  assert.match(res.headers['content-type'] as string, /javascript/);
  assert.match(res.headers['cache-control'] as string, /max-age=31536000.*immutable/);
  assert.equal(res.headers['content-security-policy'], PLAYGROUND_CSP);
  assert.equal((await t.app.inject('/assets/../../package.json')).statusCode, 404);
  assert.equal((await t.app.inject('/assets/missing.js')).statusCode, 404);
});

test('/playground/ redirects to the page relatively, so a path prefix survives', async () => {
  const res = await t.app.inject('/playground/');
  assert.equal(res.statusCode, 301);
  assert.equal(res.headers.location, '../playground');
});

test('the API routes are unchanged: a key is still required', async () => {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/image/edit', payload: { prompt: 'x', image: 'x' } });
  assert.equal(res.statusCode, 401);
  assert.equal((await t.app.inject('/api/v1/models')).statusCode, 200);
});

test('an unbuilt checkout answers 503 saying how to build the page', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'retouch-web-'));
  const app = Fastify();
  try {
    await registerPlayground(app, empty);
    const res = await app.inject('/playground');
    assert.equal(res.statusCode, 503);
    assert.match(res.body, /npm run build/);
    assert.equal((await app.inject('/assets/index.js')).statusCode, 404);
  } finally {
    await app.close();
    rmSync(empty, { recursive: true, force: true });
  }
});
