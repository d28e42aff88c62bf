import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, samplePng, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(async () => t.app.close());

test('GET /api/v1/models lists models in Venice shape, filtered by type', async () => {
  const res = await t.app.inject({ method: 'GET', url: '/api/v1/models?type=inpaint' });
  assert.equal(res.statusCode, 200);
  const body = res.json();
  assert.equal(body.object, 'list');
  assert.equal(body.type, 'inpaint');
  const qwen = body.data.find((m: any) => m.id === 'qwen-edit');
  assert.equal(qwen.object, 'model');
  assert.equal(qwen.type, 'inpaint');
  assert.equal(typeof qwen.created, 'number');
  assert.equal(qwen.model_spec.pricing.inpaint.usd, 0.04);
  assert.deepEqual(Object.keys(qwen.model_spec.constraints).sort(), [
    'aspectRatios',
    'combineImages',
    'defaultResolution',
    'outputFormats',
    'promptCharacterLimit',
    'resolutions',
  ]);
  assert.deepEqual(qwen.model_spec.pricing, { inpaint: { usd: 0.04, diem: 0.04 } });
  assert.equal(qwen.model_spec.offline, false);
  assert.ok(body.data.every((m: any) => m.type === 'inpaint'));
});

test('a model whose engine is offline is listed with offline: true', async () => {
  t.engine.online = false;
  try {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/models' });
    assert.ok(res.json().data.every((m: any) => m.model_spec.offline === true));
  } finally {
    t.engine.online = true;
  }
});

test('GET /openapi.json describes every route from the validation schemas', async () => {
  const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
  const doc = res.json();
  assert.equal(doc.openapi, '3.1.0');
  for (const path of ['/api/v1/image/edit', '/api/v1/image/multi-edit', '/api/v1/image/background-remove', '/api/v1/models']) {
    assert.ok(doc.paths[path], path);
  }
  const edit = doc.paths['/api/v1/image/edit'].post.requestBody.content['application/json'].schema;
  assert.equal(edit.properties.prompt.maxLength, 32_768);
  assert.deepEqual(edit.required.sort(), ['image', 'prompt']);
  assert.ok(edit.properties.aspect_ratio.enum.includes('21:9'));
});

test('health, readiness and Prometheus metrics per route, model and status', async () => {
  assert.deepEqual((await t.app.inject({ method: 'GET', url: '/healthz' })).json(), { status: 'ok' });
  assert.equal((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
  const png = await samplePng();
  await t.app.inject({
    method: 'POST',
    url: '/api/v1/image/edit',
    headers: t.auth,
    payload: { prompt: 'x', image: png.toString('base64'), model: 'qwen-edit' },
  });
  const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
  assert.match(metrics.body, /retouch_http_requests_total\{route="edit",model="qwen-edit",status="200"\} 1/);
  assert.match(
    metrics.body,
    /retouch_http_request_duration_seconds_bucket\{le="[^"]+",route="edit",model="qwen-edit",status="200"\}/,
  );
  assert.match(metrics.body, /retouch_engine_run_duration_seconds_count\{model="qwen-edit",outcome="ok"\} 1/);
});
