import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { createApiKey } from '../../src/accounts/api-keys.js';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/load.js';
import { SqliteStore } from '../../src/storage/sqlite-store.js';
import { multipartBody } from '../helpers/test-app.js';

/**
 * A photo with no clear subject (a facade filling the frame, cut from street.jpg) makes ISNet keep almost
 * nothing: the answer is still the cutout, with `x-retouch-warning` saying so and the matte's coverage in
 * `x-retouch-matte-coverage`; a photo with a subject carries the coverage and no warning.
 */
let app: FastifyInstance;
let authorization: string;

before(async () => {
  const config = loadConfig({
    env: {},
    overrides: { logLevel: 'silent', dataDir: '/nonexistent-test-dir', workers: { segmentation: 1 } },
  });
  const store = new SqliteStore(':memory:');
  app = await buildApp(config, { store });
  authorization = `Bearer ${(await createApiKey(store, { name: 'warning', creditsUsd: '10' })).key}`;
});
after(() => app?.close());

async function removeBackground(file: string) {
  const body = multipartBody([{ name: 'image', value: await readFile(resolve('test/fixtures', file)), filename: file }]);
  return app.inject({
    method: 'POST',
    url: '/api/v1/image/background-remove',
    headers: { ...body.headers, authorization },
    payload: body.payload,
  });
}

test('a facade filling the frame: the nearly empty cutout comes with a warning header', async () => {
  const response = await removeBackground('building-facade.jpg');
  assert.equal(response.statusCode, 200, response.body);
  const coverage = Number(response.headers['x-retouch-matte-coverage']);
  assert.ok(coverage >= 0 && coverage < 0.02, `coverage ${coverage}`);
  assert.match(String(response.headers['x-retouch-warning']), /^the matte keeps .*% of the picture: no clear subject was found/);
  // The cutout itself is what the header says: almost every pixel transparent.
  const alpha = await sharp(response.rawPayload).extractChannel(3).raw().toBuffer();
  assert.ok(alpha.filter((a) => a >= 128).length / alpha.length < 0.02);
});

test('a photo with a subject: the coverage, and no warning', async () => {
  const response = await removeBackground('coffee.png');
  assert.equal(response.statusCode, 200, response.body);
  const coverage = Number(response.headers['x-retouch-matte-coverage']);
  assert.ok(coverage > 0.2 && coverage < 0.8, `coverage ${coverage}`);
  assert.equal(response.headers['x-retouch-warning'], undefined);
});
