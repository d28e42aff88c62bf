import { runEncoded } from '../../helpers/engine-context.js';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { ApiError } from '../../../src/errors.js';
import { BackendError } from '../../../src/engines/remote-kit/backend-error.js';
import type { BackendCall, RemoteBackend } from '../../../src/engines/remote-kit/backend.js';
import { sharedRemoteSchema } from '../../../src/engines/remote-kit/options.js';
import { RemoteEngine } from '../../../src/engines/remote-kit/remote-engine.js';
import { sleep } from '../../../src/util/abort.js';
import { comfyUiEngineFactory } from '../../../src/engines/comfyui/index.js';
import { FakeComfyUi } from '../comfyui/comfyui-fake-server.js';
import { createEngine, editRequest, fixture, quietContext } from './helpers.js';

/** RemoteEngine: retries, the circuit breaker, health checks, timeouts and metrics, with any backend. */

/** A backend that answers from a script, for the engine's retry logic (the protocol is tested elsewhere). */
class ScriptedBackend implements RemoteBackend {
  readonly kind = 'scripted';
  readonly operations = new Set(['edit', 'multi-edit'] as const);
  readonly imageDefaults = { maxPixels: 256 * 256, multipleOf: 1, maxUploadBytes: 10_000_000 };
  readonly reportsStart = false;
  readonly calls: string[] = [];
  probeResult: Error | undefined;
  constructor(private readonly script: Array<BackendError | 'ok'>) {}
  async run(call: BackendCall): Promise<Buffer> {
    this.calls.push(call.endpoint.url);
    const step = this.script.shift() ?? 'ok';
    if (step !== 'ok') throw step;
    return call.inputs.images[0].png;
  }
  async probe(): Promise<void> {
    if (this.probeResult) throw this.probeResult;
  }
}

function scriptedEngine(script: Array<BackendError | 'ok'>, options: Record<string, unknown> = {}) {
  const backend = new ScriptedBackend(script);
  const context = quietContext();
  const parsed = sharedRemoteSchema.parse({
    endpoints: [{ url: 'http://127.0.0.1:1/a' }, { url: 'http://127.0.0.1:1/b' }],
    healthCheckIntervalMs: 0,
    retryBaseDelayMs: 1,
    retryMaxDelayMs: 5,
    ...options,
  });
  return { backend, context, engine: new RemoteEngine('m', backend, parsed, context, 120_000) };
}

describe('remote engine: retries and breaker', () => {
  test('retries 503 and connection errors on the other endpoint, then succeeds', async () => {
    const cat = await fixture('chelsea.png');
    const { backend, engine, context } = scriptedEngine([
      new BackendError('capacity', '503'),
      new BackendError('connection', 'ECONNREFUSED'),
      'ok',
    ]);
    const result = await runEncoded(engine, editRequest([cat]));
    assert.equal(result.width, cat.width);
    assert.equal(backend.calls.length, 3);
    assert.notEqual(backend.calls[0], backend.calls[1], 'the retry went to the other endpoint');
    const metrics = await context.metrics.getMetricsAsJSON();
    const requests = metrics.find((m) => m.name === 'retouch_backend_requests_total')!;
    const outcomes = requests.values.map((v) => `${v.labels.endpoint}:${v.labels.outcome}=${v.value}`).sort();
    assert.deepEqual(outcomes, ['m#0:error=1', 'm#0:success=1', 'm#1:error=1']);
    for (const name of [
      'retouch_backend_errors_total',
      'retouch_backend_request_duration_seconds',
      'retouch_backend_queue_seconds',
      'retouch_backend_up',
    ]) {
      assert.ok(
        metrics.some((m) => m.name === name),
        name,
      );
    }
    await engine.close();
  });

  test('never retries a 4xx or a 500', async () => {
    const cat = await fixture('chelsea.png');
    for (const [error, status] of [
      [new BackendError('invalid', '400'), 400],
      [new BackendError('failed', '500'), 500],
      [new BackendError('refused', 'moderation'), 422],
    ] as const) {
      const { backend, engine } = scriptedEngine([error]);
      await assert.rejects(runEncoded(engine, editRequest([cat])), (e: unknown) => e instanceof ApiError && e.status === status);
      assert.equal(backend.calls.length, 1);
      await engine.close();
    }
  });

  test('gives up after the configured retries with the last error', async () => {
    const cat = await fixture('chelsea.png');
    const { backend, engine } = scriptedEngine(
      Array.from({ length: 5 }, () => new BackendError('capacity', '429')),
      { retries: 2 },
    );
    await assert.rejects(
      runEncoded(engine, editRequest([cat])),
      (e: unknown) => e instanceof ApiError && e.code === 'MODEL_AT_CAPACITY',
    );
    assert.equal(backend.calls.length, 3);
    await engine.close();
  });

  test('failures open the circuits; the model then answers 503 at once and lists itself offline', async () => {
    const cat = await fixture('chelsea.png');
    const failures = Array.from({ length: 4 }, () => new BackendError('failed', '500'));
    const { backend, engine } = scriptedEngine(failures, { breakerFailureThreshold: 2, breakerOpenMs: 60_000 });
    for (let i = 0; i < 4; i++) await assert.rejects(runEncoded(engine, editRequest([cat])));
    assert.equal(engine.status().online, false);
    await assert.rejects(
      runEncoded(engine, editRequest([cat])),
      (e: unknown) => e instanceof ApiError && e.code === 'MODEL_UNAVAILABLE',
    );
    assert.equal(backend.calls.length, 4, 'no call reached an open circuit');
    await engine.close();
  });

  test('health checks mark the model offline while every endpoint fails them, and online again after', async () => {
    const { backend, engine } = scriptedEngine([], { healthCheckIntervalMs: 20 });
    backend.probeResult = new Error('down');
    for (let i = 0; i < 100 && engine.status().online; i++) await sleep(10);
    assert.match((engine.status() as { reason: string }).reason, /no healthy scripted endpoint \(2 configured\)/);
    backend.probeResult = undefined;
    for (let i = 0; i < 100 && !engine.status().online; i++) await sleep(10);
    assert.equal(engine.status().online, true);
    await engine.close();
  });
});

describe('remote engine: real sockets', () => {
  test('a refused connection is retried on the next endpoint (ComfyUI test server)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const fake = await FakeComfyUi.start();
    const engine = createEngine(comfyUiEngineFactory, {
      endpoints: [{ url: `http://127.0.0.1:${deadPort}` }, { url: fake.url }],
      healthCheckIntervalMs: 0,
      retryBaseDelayMs: 1,
    });
    try {
      const cat = await fixture('chelsea.png');
      const results = await Promise.all([runEncoded(engine, editRequest([cat])), runEncoded(engine, editRequest([cat]))]);
      assert.equal(results.length, 2);
      assert.equal(fake.prompts.length, 2);
    } finally {
      await engine.close();
      await fake.close();
    }
  });

  test('health checks against a dead port mark the endpoint down', async () => {
    const engine = createEngine(comfyUiEngineFactory, {
      endpoints: [{ url: 'http://127.0.0.1:9' }],
      healthCheckIntervalMs: 50,
      healthCheckTimeoutMs: 500,
    });
    for (let i = 0; i < 100 && engine.status().online; i++) await sleep(10);
    assert.equal(engine.status().online, false);
    await engine.close();
  });

  test('an attempt that takes longer than timeoutMs is a 504 "did not finish in time" (Venice\'s REQUEST_TIMEOUT)', async () => {
    const fake = await FakeComfyUi.start({ stepDelayMs: 200 });
    const engine = createEngine(comfyUiEngineFactory, {
      endpoints: [{ url: fake.url }],
      healthCheckIntervalMs: 0,
      timeoutMs: 300,
    });
    try {
      const cat = await fixture('chelsea.png');
      await assert.rejects(
        runEncoded(engine, editRequest([cat])),
        (e: unknown) => e instanceof ApiError && e.status === 504 && /in time/.test(e.message),
      );
    } finally {
      await engine.close();
      await fake.close();
    }
  });
});
