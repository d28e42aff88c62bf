import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { z } from 'zod';
import { createApiKey } from '../../src/accounts/api-keys.js';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/load.js';
import type { EngineFactory } from '../../src/engines/engine-factory.js';
import { SqliteStore } from '../../src/storage/sqlite-store.js';
import { SCRIPTED_TRAITS, samplePng, ScriptedEngine } from '../helpers/test-app.js';
import { TEST_CREDENTIALS } from '../helpers/test-credentials.js';

/**
 * Routine outcomes (a model at capacity or offline: 503) are one warn line without a stack trace; real
 * faults (500) keep theirs at error level. (Found: every routine 503 was an error with a stack trace.)
 */
test('503s are one warn line; 500s are errors with their stack', async () => {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const engine = new ScriptedEngine();
  const factory: EngineFactory<unknown> = {
    kind: 'scripted',
    traits: SCRIPTED_TRAITS,
    optionsSchema: z.unknown(),
    create: () => engine,
  };
  const config = loadConfig({
    env: {},
    overrides: {
      dataDir: '/nonexistent-test-dir',
      provenance: TEST_CREDENTIALS,
      rateLimits: { enabled: false },
      defaultEditModel: 'solo',
      models: {
        'firered-image-edit': { engine: 'scripted', priceUsd: 0 },
        'qwen-edit': { engine: 'scripted', priceUsd: 0 },
        'local-edit': { engine: 'scripted', priceUsd: 0 },
        'bg-remove': { engine: 'scripted', priceUsd: 0, type: 'background-removal' },
        upscaler: { engine: 'scripted', priceUsd: 0, type: 'upscale' },
        solo: { engine: 'scripted', priceUsd: 0, capacity: { maxConcurrent: 1, maxQueue: 0 } },
      },
    },
  });
  const store = new SqliteStore(':memory:');
  const app = await buildApp(config, { store, engineFactories: [factory], logger: { level: 'info', stream } });
  const { key } = await createApiKey(store, { name: 'log', creditsUsd: '1' });
  const image = (await samplePng()).toString('base64');
  const send = () =>
    app.inject({
      method: 'POST',
      url: '/api/v1/image/edit',
      headers: { authorization: `Bearer ${key}` },
      payload: { image, prompt: 'make it sepia', model: 'solo' },
    });

  engine.delayMs = 300;
  const [first, busy] = await Promise.all([send(), new Promise((r) => setTimeout(r, 50)).then(send)]);
  assert.equal(first.statusCode, 200);
  assert.equal(busy.statusCode, 503);
  engine.delayMs = 0;
  engine.online = false;
  assert.equal((await send()).statusCode, 503);
  engine.online = true;
  engine.failWhen = () => true;
  assert.equal((await send()).statusCode, 500);
  await app.close();

  const failures = lines.filter((l) => l.code !== undefined && l.msg !== 'request completed' && l.msg !== 'incoming request');
  const routine = failures.filter((l) => l.code === 'MODEL_AT_CAPACITY' || l.code === 'MODEL_UNAVAILABLE');
  assert.equal(routine.length, 2, JSON.stringify(failures));
  for (const line of routine) {
    assert.equal(line.level, 40, 'warn');
    assert.equal(line.err, undefined, 'no error object, so no stack trace');
    assert.equal(typeof line.msg, 'string');
  }
  const fault = failures.find((l) => l.code === 'INFERENCE_FAILED');
  assert.ok(fault, JSON.stringify(failures));
  assert.equal(fault.level, 50);
  assert.match(String((fault.err as { stack?: string }).stack), /scripted engine failure/);
});
