import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { loadPhoto, rectMask } from '../../imaging/photo-fixtures.js';
import { createRealApp } from '../../helpers/real-app.js';

/** local-edit behind the real gateway (app.inject): what a Venice client sees. */

let app: FastifyInstance;
let auth: { authorization: string };
let photo: string;
let mask: string;

before(async () => {
  ({ app, auth } = await createRealApp('10', 'local-edit-test'));
  const image = await loadPhoto('chelsea');
  const raw = (i: typeof image) => ({ raw: { width: i.width, height: i.height, channels: i.channels } });
  photo = (await sharp(image.data, raw(image)).png().toBuffer()).toString('base64');
  // On the soft background right of the cat's face: a removal that fills well. (The box this test used,
  // over an eye and the nose, filled as a smear that the fill's self-check now refuses.)
  const m = rectMask(image.width, image.height, { left: 372, top: 110, width: 60, height: 60 });
  mask = (await sharp(m.data, raw(m)).png().toBuffer()).toString('base64');
});
after(async () => {
  await app.close();
});

describe('local-edit through the HTTP API', () => {
  test('"make the sky bluer" names what it found in x-retouch-found; with no sky it is an uncharged 400', async () => {
    const sky = await loadPhoto('skyTowers');
    const skyPng = (
      await sharp(sky.data, { raw: { width: sky.width, height: sky.height, channels: 3 } })
        .png()
        .toBuffer()
    ).toString('base64');
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/image/edit',
      headers: auth,
      payload: { model: 'local-edit', prompt: 'make the sky bluer', image: skyPng },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['x-retouch-found']), /^sky \d+%$/);
    const refused = await app.inject({
      method: 'POST',
      url: '/api/v1/image/edit',
      headers: auth,
      payload: { model: 'local-edit', prompt: 'make the sky bluer', image: photo },
    });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.json().error, /I could not find a sky in this photo: /);
    assert.equal(refused.headers['x-retouch-found'], undefined);
  });

  test('POST /image/edit "make it black and white" answers a grey PNG', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/image/edit',
      headers: auth,
      payload: { model: 'local-edit', prompt: 'Make it B&W', image: photo },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], 'image/png');
    assert.equal((await sharp(res.rawPayload).metadata()).channels, 1);
  });

  test('an instruction it does not understand is a Venice-shaped 400 quoting the clause', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/image/edit',
      headers: auth,
      payload: { model: 'local-edit', prompt: 'make it sepia and add a dog', image: photo },
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.json().error, /"add a dog"/);
  });

  test('POST /image/multi-edit "remove the tree" with a mask layer', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/image/multi-edit',
      headers: auth,
      payload: { modelId: 'local-edit', prompt: 'remove the tree', images: [photo, mask] },
    });
    assert.equal(res.statusCode, 200, res.body);
  });

  test('"remove the tree" without a mask is a 400 that asks for one', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/image/edit',
      headers: auth,
      payload: { model: 'local-edit', prompt: 'remove the tree', image: photo },
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.json().error, /mask/);
  });

  test('GET /models lists the local-edit vocabulary in its model_spec', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/models?type=inpaint', headers: auth });
    assert.equal(res.statusCode, 200, res.body);
    const model = res.json().data.find((m: { id: string }) => m.id === 'local-edit');
    assert.ok(model, 'local-edit is not listed');
    const rows = model.model_spec.vocabulary as Array<{ instruction: string; examples: string[] }>;
    assert.ok(rows.some((r) => r.instruction === 'Black and white' && r.examples.includes('make it black and white')));
  });
});
