import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, describe, test } from 'node:test';
import { createAccount, createApiKey } from '../../src/accounts/api-keys.js';
import { createTestApp, samplePng, type TestApp } from '../helpers/test-app.js';

/**
 * Venice's key management over HTTP: ADMIN routes refuse INFERENCE keys with Venice's 401; an ADMIN key
 * sees and changes only its own account; bodies are strict; the secret is shown once and never logged;
 * a key's spend limit and revocation hold on the next request; every change is audited with its actor.
 */
const logged: string[] = [];
const logStream = new Writable({
  write(chunk, _encoding, done) {
    logged.push(chunk.toString());
    done();
  },
});
let t: TestApp;
let admin: { authorization: string };
let adminId: string;
let image: string;
after(() => t?.app.close());

async function setUp() {
  t = await createTestApp({
    creditsUsd: '10',
    config: { rateLimits: { enabled: false }, logLevel: 'trace' },
    logger: { level: 'trace', stream: logStream },
  });
  const created = await createApiKey(t.store, { accountId: t.accountId, type: 'ADMIN', name: 'ops' });
  admin = { authorization: `Bearer ${created.key}` };
  adminId = created.record.id;
  image = (await samplePng(320, 240)).toString('base64');
}

const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, headers: object, payload?: object) =>
  t.app.inject({ method, url, headers: headers as Record<string, string>, ...(payload ? { payload } : {}) });
const edit = (authorization: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/image/edit',
    headers: { authorization },
    payload: { prompt: 'make it black and white', image, model: 'test-edit' },
  });

describe('key management', () => {
  test('an INFERENCE key on every ADMIN route gets 401 "Admin API key required"; rate_limits answers it', async () => {
    await setUp();
    const adminRoutes: Array<['GET' | 'POST' | 'PATCH' | 'DELETE', string]> = [
      ['GET', '/api/v1/api_keys'],
      ['POST', '/api/v1/api_keys'],
      ['PATCH', '/api/v1/api_keys'],
      ['DELETE', '/api/v1/api_keys?id=key_x'],
      ['GET', '/api/v1/api_keys/key_x'],
      ['GET', '/api/v1/api_keys/rate_limits/log'],
      ['GET', '/api/v1/billing/balance'],
      ['GET', '/api/v1/billing/usage-history'],
    ];
    for (const [method, url] of adminRoutes) {
      const res = await call(method, url, t.auth, method === 'POST' || method === 'PATCH' ? {} : undefined);
      assert.equal(res.statusCode, 401, `${method} ${url}`);
      assert.deepEqual(res.json(), { error: 'Admin API key required' });
    }
    const limits = await call('GET', '/api/v1/api_keys/rate_limits', t.auth);
    assert.equal(limits.statusCode, 200);
    assert.equal(limits.json().data.accessPermitted, true);
    assert.equal(limits.json().data.balances.USD, 10);
  });

  test('create: strict body, the secret once, a working key listed newest first without its secret', async () => {
    const bad = [
      { apiKeyType: 'INFERENCE', description: 'x', colour: 'red' },
      { apiKeyType: 'INFERENCE', description: 'x'.repeat(65) },
      { apiKeyType: 'READ', description: 'x' },
      { apiKeyType: 'INFERENCE', description: 'x', expiresAt: '2030-01-01T00:00:00+02:00' },
      { apiKeyType: 'INFERENCE', description: 'x', expiresAt: '2001-01-01' },
      { apiKeyType: 'INFERENCE', description: 'x', limitPeriod: 'WEEK' },
      { description: 'x' },
    ];
    for (const body of bad) {
      const res = await call('POST', '/api/v1/api_keys', admin, body);
      assert.equal(res.statusCode, 400, JSON.stringify(body));
      assert.match(res.json().error, /^Invalid request parameters/);
    }
    const res = await call('POST', '/api/v1/api_keys', admin, {
      apiKeyType: 'INFERENCE',
      description: 'backend prod',
      expiresAt: '2099-12-31',
      consumptionLimit: { usd: 50, diem: 10 },
      limitPeriod: 'MONTH',
    });
    assert.equal(res.statusCode, 200, res.body);
    const { success, data } = res.json();
    assert.equal(success, true);
    assert.match(data.apiKey, /^rt_[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(
      { ...data, id: undefined, apiKey: undefined },
      {
        id: undefined,
        apiKey: undefined,
        apiKeyType: 'INFERENCE',
        description: 'backend prod',
        expiresAt: '2099-12-31T00:00:00.000Z',
        consumptionLimit: { usd: 50, diem: 10, vcu: null },
        limitPeriod: 'MONTH',
      },
    );
    assert.equal((await edit(`Bearer ${data.apiKey}`)).statusCode, 200, 'the new key works at once');
    const list = await call('GET', '/api/v1/api_keys', admin);
    assert.equal(list.statusCode, 200);
    const [newest] = list.json().data;
    assert.equal(newest.id, data.id);
    assert.equal(newest.last6Chars, data.apiKey.slice(-6));
    assert.deepEqual(newest.usage, { trailingSevenDays: { usd: '0.0100', vcu: '0.0000', diem: '0.0000' } });
    assert.deepEqual(newest.currentPeriodUsage, { usd: '0.0100', diem: '0.0000' });
    assert.match(newest.lastUsedAt, /^\d{4}-/);
    assert.deepEqual(
      list.json().data.map((k: { description: string }) => k.description),
      ['backend prod', 'ops', 'test'],
    );
    assert.doesNotMatch(list.body, new RegExp(data.apiKey), 'the secret is never shown again');
    assert.equal((await call('GET', `/api/v1/api_keys/${data.id}`, admin)).json().data.id, data.id);
    assert.ok(logged.length > 0, 'the server logged the requests');
    assert.doesNotMatch(logged.join(''), new RegExp(data.apiKey.slice(3)), 'the secret is never logged');
  });

  test('a spend limit refuses with Venice’s 402 once used up, and a raised limit lets the key spend again', async () => {
    const created = await call('POST', '/api/v1/api_keys', admin, {
      apiKeyType: 'INFERENCE',
      description: 'capped',
      consumptionLimit: { usd: 0.02 },
    });
    const { id, apiKey } = created.json().data;
    assert.deepEqual([(await edit(`Bearer ${apiKey}`)).statusCode, (await edit(`Bearer ${apiKey}`)).statusCode], [200, 200]);
    const refused = await edit(`Bearer ${apiKey}`);
    assert.equal(refused.statusCode, 402);
    assert.deepEqual(refused.json(), {
      error:
        'API key USD spend limit exceeded. Your account may still have USD balance, but this API key has reached its configured USD spending limit.',
    });
    const limits = await call('GET', '/api/v1/api_keys/rate_limits', { authorization: `Bearer ${apiKey}` });
    assert.deepEqual([limits.json().data.accessPermitted, limits.json().data.balances.USD], [false, 0]);
    const patched = await call('PATCH', '/api/v1/api_keys', admin, {
      id,
      consumptionLimit: { usd: 0.03 },
      description: 'capped+',
    });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.deepEqual([patched.json().data.consumptionLimits.usd, patched.json().data.description], [0.03, 'capped+']);
    assert.equal((await edit(`Bearer ${apiKey}`)).statusCode, 200);
    assert.equal((await edit(`Bearer ${apiKey}`)).statusCode, 402);
    assert.equal(
      (await call('PATCH', '/api/v1/api_keys', admin, { id, apiKeyType: 'ADMIN' })).statusCode,
      400,
      'the type cannot change',
    );
  });

  test('revocation is immediate; unknown or other accounts’ keys are Venice’s 400s; the audit names the ADMIN key', async () => {
    const created = (await call('POST', '/api/v1/api_keys', admin, { apiKeyType: 'INFERENCE', description: 'gone' })).json().data;
    assert.equal((await edit(`Bearer ${created.apiKey}`)).statusCode, 200);
    assert.deepEqual((await call('DELETE', `/api/v1/api_keys?id=${created.id}`, admin)).json(), { success: true });
    const after = await edit(`Bearer ${created.apiKey}`);
    assert.equal(after.statusCode, 401);
    const again = await call('DELETE', '/api/v1/api_keys', { ...admin, 'content-type': 'application/json' }, { id: created.id });
    assert.deepEqual([again.statusCode, again.json().error], [400, 'API key could not be found']);

    const other = await createApiKey(t.store, { accountId: (await createAccount(t.store, { creditsUsd: '1' })).id });
    assert.deepEqual((await call('GET', `/api/v1/api_keys/${other.record.id}`, admin)).json(), { error: 'API key not found' });
    const patch = await call('PATCH', '/api/v1/api_keys', admin, { id: other.record.id, description: 'mine now' });
    assert.deepEqual([patch.statusCode, patch.json().error], [400, 'API key not found or expired']);
    const revoke = await call('DELETE', `/api/v1/api_keys?id=${other.record.id}`, admin);
    assert.deepEqual([revoke.statusCode, revoke.json().error], [400, 'API key could not be found']);
    assert.equal((await edit(`Bearer ${other.key}`)).statusCode, 200, 'the other account’s key is untouched');

    const expired = await createApiKey(t.store, {
      accountId: t.accountId,
      expiresAt: new Date(Date.now() - 1_000).toISOString(),
    });
    assert.equal((await edit(`Bearer ${expired.key}`)).statusCode, 401);
    const listed = (await call('GET', '/api/v1/api_keys', admin)).json().data.map((k: { id: string }) => k.id);
    assert.ok(!listed.includes(expired.record.id) && !listed.includes(created.id), 'expired and revoked keys are not listed');

    const trail = await t.store.listAudit(t.accountId);
    const byAdmin = trail.filter((row) => row.actor === adminId).map((row) => row.action);
    assert.deepEqual(byAdmin, ['create', 'create', 'update', 'create', 'revoke']);
    assert.doesNotMatch(JSON.stringify(trail), new RegExp(created.apiKey));
  });
});
