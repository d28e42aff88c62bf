import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { modelConfigSchema } from '../../src/config/schema.js';
import { VeniceBackend } from '../../src/engines/venice/venice-backend.js';
import { IMAGE_ROUTES } from '../../src/http/image-operation-routes.js';
import { jsonSchemaOf } from '../../src/http/route-docs.js';
import { playgroundDir } from '../../src/http/routes/playground.js';
import {
  IMAGE_OPERATION_NAMES,
  IMAGE_OPERATIONS,
  MODEL_TYPE_NAMES,
  imageOperation,
} from '../../src/operations/image-operations.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

// The operation table (src/operations/image-operations.ts), the routes the server registers, the OpenAPI
// document and the playground must agree: a route added, renamed or described in only one place fails here.

let t: TestApp;
let doc: { paths: Record<string, Record<string, any>> };
before(async () => {
  t = await createTestApp();
  doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
});
after(() => t.app.close());

/** The playground's page and assets: served beside the API, not part of it. */
const NOT_API = new Set(['GET /', 'GET /playground', 'GET /playground/']);

/** Every registered route as "METHOD /path" (HEAD twins left out), read from fastify's route tree. */
function registeredRoutes(): string[] {
  const routes: string[] = [];
  const parents = [''];
  for (const line of t.app.printRoutes({ commonPrefix: false }).split('\n')) {
    // "│   └── segment (GET, HEAD)": the tree's depth is where the segment starts, four columns a level.
    const match = /^(.*?── )(\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    const segment = match[2]!;
    // Under the root a segment is a path after "/"; deeper, it continues its parent ("/log", "-history").
    const path =
      depth <= 2 ? `${parents[depth - 1]!.replace(/\/$/, '')}/${segment.replace(/^\//, '')}` : `${parents[depth - 1]!}${segment}`;
    parents[depth] = path;
    for (const method of match[3]?.split(', ') ?? []) if (method !== 'HEAD') routes.push(`${method} ${path}`);
  }
  return routes;
}

test('every registered API route is in the OpenAPI document, and every documented route is registered', () => {
  const registered = registeredRoutes().filter((route) => !NOT_API.has(route) && !route.includes('*'));
  assert.ok(registered.includes('POST /api/v1/image/edit'), `route tree read: ${registered.join(', ')}`);
  const documented = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
  );
  assert.deepEqual(
    [...registered].sort(),
    [...documented].sort(),
    'a route without config.doc (src/http/route-docs.ts), or a doc without its route',
  );
  for (const route of documented) {
    const [method, url] = route.split(' ') as [string, string];
    assert.ok(t.app.hasRoute({ method: method as 'GET', url }), route);
  }
});

test('each operation of the table is registered at its path and described by its body schema and summary', async () => {
  const imagePaths = Object.keys(doc.paths).filter((path) => path.startsWith('/api/v1/image/'));
  assert.deepEqual(imagePaths.sort(), IMAGE_OPERATION_NAMES.map((name) => IMAGE_OPERATIONS[name].path).sort());
  for (const name of IMAGE_OPERATION_NAMES) {
    const { path, summary } = imageOperation(name);
    const post = doc.paths[path]!.post;
    assert.equal(post.summary, summary, name);
    for (const type of ['application/json', 'multipart/form-data']) {
      assert.deepEqual(post.requestBody.content[type].schema, jsonSchemaOf(IMAGE_ROUTES[name].bodySchema), `${name} ${type}`);
    }
  }
});

test("each operation's route name labels its requests (rate limits and metrics)", async () => {
  for (const name of IMAGE_OPERATION_NAMES) {
    const res = await t.app.inject({
      method: 'POST',
      url: IMAGE_OPERATIONS[name].path,
      headers: { ...t.auth, 'content-type': 'text/plain' },
      payload: 'x',
    });
    assert.equal(res.statusCode, 415, name);
  }
  const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
  for (const name of IMAGE_OPERATION_NAMES) {
    const label = `route="${IMAGE_OPERATIONS[name].routeName}",model="",status="415"`;
    assert.match(metrics, new RegExp(`retouch_http_requests_total\\{${label}\\} 1`), name);
  }
});

test('the model types agree: config, GET /models and its OpenAPI enum, every operation', async () => {
  const configTypes = (modelConfigSchema.shape.type.unwrap() as { options: string[] }).options;
  assert.deepEqual(configTypes, MODEL_TYPE_NAMES);
  const query = doc.paths['/api/v1/models']!.get.parameters.find((p: { name: string }) => p.name === 'type');
  assert.deepEqual(query.schema.enum, [...MODEL_TYPE_NAMES, 'all']);
  for (const type of MODEL_TYPE_NAMES) {
    assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/models?type=${type}` })).statusCode, 200, type);
  }
  for (const name of IMAGE_OPERATION_NAMES) assert.ok(MODEL_TYPE_NAMES.includes(imageOperation(name).modelType), name);
});

test("the fields the table says an operation forwards upstream are its body schema's fields", () => {
  for (const name of IMAGE_OPERATION_NAMES) {
    const operation = imageOperation(name);
    const fields = Object.keys((jsonSchemaOf(IMAGE_ROUTES[name].bodySchema) as { properties: object }).properties);
    const named = [operation.imageField, ...operation.upstreamFields, ...(operation.modelField ? [operation.modelField] : [])];
    for (const field of named) assert.ok(fields.includes(field), `${name}: ${field} is not in its body schema`);
    assert.equal(fields.includes('prompt'), operation.prompt, `${name}: prompt`);
  }
  assert.deepEqual([...new VeniceBackend({ model: 'm' }).operations].sort(), [...IMAGE_OPERATION_NAMES].sort());
});

test("the playground's built page calls exactly the table's image routes", () => {
  const assets = join(playgroundDir(), 'assets');
  assert.ok(existsSync(assets), 'the playground is built (npm run build)');
  const bundle = readdirSync(assets)
    .filter((file) => file.endsWith('.js'))
    .map((file) => readFileSync(join(assets, file), 'utf8'))
    .join('\n');
  const called = new Set(bundle.match(/api\/v1\/image\/[a-z-]+/g) ?? []);
  const table = IMAGE_OPERATION_NAMES.map((name) => IMAGE_OPERATIONS[name].path.slice(1));
  assert.deepEqual([...called].sort(), table.sort());
});
