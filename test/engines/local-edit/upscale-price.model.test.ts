import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import type { SqliteStore } from '../../../src/storage/sqlite-store.js';
import { loadPhoto } from '../../imaging/photo-fixtures.js';
import { createRealApp } from '../../helpers/real-app.js';

/**
 * An upscale asked of local-edit costs what /image/upscale charges for it, on top of the edit: otherwise
 * "upscale by 4x" through local-edit ($0.01) would undercut the upscale model ($0.08) for the same work.
 * Through the gateway, with the default server's models.
 */

let app: FastifyInstance;
let store: SqliteStore;
let accountId: string;
let auth: { authorization: string };
let square: string;
let large: string;

before(async () => {
  // Two cents: enough for an edit ($0.01), not for an edit with an upscale. The charge is checked before
  // any work, so the 402 shows the price without running the networks.
  ({ app, store, accountId, auth } = await createRealApp('0.02', 'upscale-price'));
  const cat = await loadPhoto('chelsea');
  const raw = { raw: { width: cat.width, height: cat.height, channels: cat.channels } };
  square = (await sharp(cat.data, raw).extract({ left: 100, top: 20, width: 256, height: 256 }).png().toBuffer()).toString(
    'base64',
  );
  large = (await sharp(cat.data, raw).resize(1100, 1000, { fit: 'fill' }).png().toBuffer()).toString('base64');
});
after(() => app.close());

const edit = (prompt: string, image = square) =>
  app.inject({ method: 'POST', url: '/api/v1/image/edit', headers: auth, payload: { model: 'local-edit', prompt, image } });

test('"brighten it" costs the edit price alone', async () => {
  const res = await edit('brighten it');
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.headers['x-retouch-charged-usd'], '0.01');
});

test("an upscale adds the upscale model's price for its scale: $0.01 + $0.02 at 2x, + $0.08 at 4x", async () => {
  const twice = await edit('brighten it and upscale it 2x');
  assert.equal(twice.statusCode, 402, twice.body);
  assert.match(twice.json().error, /costs \$0\.03 /);
  const fourTimes = await edit('upscale by 4x');
  assert.equal(fourTimes.statusCode, 402, fourTimes.body);
  assert.match(fourTimes.json().error, /costs \$0\.09 /);
});

test('4x on a picture that only fits at 2x (1100 x 1000) is charged as 2x, as /image/upscale does', async () => {
  const res = await edit('upscale by 4x', large);
  assert.equal(res.statusCode, 402, res.body);
  assert.match(res.json().error, /costs \$0\.03 /);
});

test('an upscale that is refused (8x) costs nothing', async () => {
  const before = await store.getBalance(accountId);
  const res = await edit('upscale it 2x and then upscale by 4x');
  assert.equal(res.statusCode, 400, res.body);
  assert.equal(res.headers['x-retouch-charged-usd'], undefined);
  assert.deepEqual(await store.getBalance(accountId), before);
});
