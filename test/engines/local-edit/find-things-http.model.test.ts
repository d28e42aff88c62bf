import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import type { SqliteStore } from '../../../src/storage/sqlite-store.js';
import { loadPhoto } from '../../imaging/photo-fixtures.js';
import { createRealApp } from '../../helpers/real-app.js';

/** Named things through the real gateway: a found thing is edited and charged; a missing one is a free 400. */

let app: FastifyInstance;
let store: SqliteStore;
let accountId: string;
let auth: { authorization: string };

before(async () => {
  ({ app, store, accountId, auth } = await createRealApp('10', 'find-things-test'));
});
after(async () => {
  await app.close();
});

async function photo(name: 'chelsea' | 'astronaut'): Promise<string> {
  const image = await loadPhoto(name);
  return (
    await sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } })
      .png()
      .toBuffer()
  ).toString('base64');
}

describe('named things through the HTTP API', () => {
  test('a thing that is not in the picture: 400 naming what was found, and nothing is charged', async () => {
    const before = await store.getBalance(accountId);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/image/edit',
      headers: auth,
      payload: { model: 'local-edit', prompt: 'remove the bicycle', image: await photo('chelsea') },
    });
    assert.equal(res.statusCode, 400, res.body);
    assert.match(res.json().error, /^Found no bicycle in the picture; found: /);
    assert.deepEqual(await store.getBalance(accountId), before);
  });

  test('"blur the faces" without a mask answers a PNG and is charged once', async () => {
    const before = await store.getBalance(accountId);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/image/edit',
      headers: auth,
      payload: { model: 'local-edit', prompt: 'blur the faces', image: await photo('astronaut') },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], 'image/png');
    assert.ok((await store.getBalance(accountId)).balanceMicros < before.balanceMicros);
  });
});
