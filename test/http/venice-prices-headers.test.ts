import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { type VeniceFieldsApp, veniceFieldsApp } from './venice-fields-app.js';

/**
 * Venice's 2026 fields on /image/edit and /image/multi-edit, through the whole request path, JSON and
 * multipart: tiered prices to the micro-dollar, model and balance headers, aliases, deprecation, safe
 * mode and models no backend serves.
 */

let app: VeniceFieldsApp;
let t: VeniceFieldsApp['t'];
let png: Buffer;
let large: Buffer;
before(async () => {
  app = await veniceFieldsApp();
  ({ t, png, large } = app);
});
after(async () => t.app.close());

const b64 = (bytes: Buffer) => bytes.toString('base64');
const post: VeniceFieldsApp['post'] = (...args) => app.post(...args);
const postForm: VeniceFieldsApp['postForm'] = (...args) => app.postForm(...args);
const balance = () => app.balance();

describe('pricing', () => {
  const charge = async (body: Record<string, unknown>) => {
    const before = await balance();
    const res = await post('/api/v1/image/multi-edit', { modelId: 'tiers-edit', prompt: 'x', ...body });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(before - (await balance()), Math.round(Number(res.headers['x-retouch-charged-usd']) * 1e6));
    return before - (await balance());
  };

  test('base, tier, (tier, quality) and extra input images, exact to the micro-dollar', async () => {
    assert.equal(await charge({ images: [b64(large)] }), 50_000);
    assert.equal(await charge({ images: [b64(large)], resolution: '2K' }), 70_000);
    assert.equal(await charge({ images: [b64(large), b64(png), b64(png)], resolution: '2K' }), 70_000 + 2 * 4_500);
    assert.equal(await charge({ images: [b64(large), b64(png)], resolution: '1K', quality: 'low' }), 20_000 + 4_500);
    // No (2K, high) price: the tier's price applies.
    assert.equal(await charge({ images: [b64(large)], resolution: '2K', quality: 'high' }), 70_000);
  });

  test('multipart: quality and safe_mode arrive as strings and count the same', async () => {
    const before = await balance();
    const seen = t.classifier.seen;
    const res = await postForm('/api/v1/image/multi-edit', [
      { name: 'modelId', value: 'tiers-edit' },
      { name: 'prompt', value: 'x' },
      { name: 'resolution', value: '1K' },
      { name: 'quality', value: 'low' },
      { name: 'safe_mode', value: 'false' },
      { name: 'images', value: large, filename: 'a.png' },
      { name: 'images', value: png, filename: 'b.png' },
    ]);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(before - (await balance()), 20_000 + 4_500);
    assert.equal(t.classifier.seen, seen, 'safe_mode=false: not classified');
  });

  test("GET /models publishes the same prices in Venice's model_spec.pricing shape", async () => {
    const list = (await t.app.inject({ method: 'GET', url: '/api/v1/models?type=inpaint' })).json();
    const spec = list.data.find((m: any) => m.id === 'tiers-edit').model_spec;
    assert.deepEqual(spec.pricing, {
      inpaint: { usd: 0.05, diem: 0.05 },
      resolutions: { '2K': { usd: 0.07, diem: 0.07 }, '4K': { usd: 0.11, diem: 0.11 } },
      quality: { '1K': { low: { usd: 0.02, diem: 0.02 }, high: { usd: 0.3, diem: 0.3 } } },
      inputImages: { included: 1, additional: { usd: 0.0045, diem: 0.0045 } },
    });
    assert.deepEqual(spec.constraints.resolutions, ['1K', '2K', '4K']);
    assert.equal(spec.constraints.defaultResolution, 'input');
    assert.deepEqual(spec.constraints.qualities, ['low', 'medium', 'high']);
  });
});

describe('headers, aliases, deprecation, safe mode, availability', () => {
  test('model id and name; x-venice-balance-usd is the balance before the charge, ours the one after', async () => {
    const before = await balance();
    const res = await post('/api/v1/image/edit', { model: 'tiers-edit', prompt: 'x', image: b64(png) });
    assert.equal(res.headers['x-venice-model-id'], 'tiers-edit');
    assert.equal(res.headers['x-venice-model-name'], 'Tiered Edit');
    assert.equal(Math.round(Number(res.headers['x-venice-balance-usd']) * 1e6), before);
    assert.equal(Math.round(Number(res.headers['x-retouch-balance-after-usd']) * 1e6), before - 50_000);
    assert.equal(res.headers['x-venice-model-deprecation-warning'], undefined);
  });

  test('a deprecated model and its alias answer with the deprecation headers; the alias is listed', async () => {
    for (const id of ['old-edit', 'old-edit-v1']) {
      const res = await post('/api/v1/image/edit', { model: id, prompt: 'x', image: b64(png) });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['x-venice-model-id'], id);
      assert.equal(res.headers['x-venice-model-deprecation-date'], '2027-01-31');
      assert.match(String(res.headers['x-venice-model-deprecation-warning']), /deprecated.*2027-01-31.*tiers-edit/);
    }
    const list = (await t.app.inject({ method: 'GET', url: '/api/v1/models' })).json();
    const alias = list.data.find((m: any) => m.id === 'old-edit-v1');
    assert.equal(alias.model_spec.aliasOf, 'old-edit');
    assert.equal(alias.model_spec.deprecation.replacementModelId, 'tiers-edit');
  });

  test('safe mode: a flagged result is blurred with x-venice-is-blurred; safe_mode false skips the classifier', async () => {
    t.classifier.flag = true;
    try {
      const seen = t.classifier.seen;
      const blurred = await post('/api/v1/image/edit', { model: 'tiers-edit', prompt: 'x', image: b64(png) });
      assert.equal(blurred.headers['x-venice-is-blurred'], 'true');
      assert.equal(t.classifier.seen, seen + 1);
      // Mean difference between horizontal neighbours: high for the noisy sample, low once blurred.
      const sharpness = async (bytes: Buffer) => {
        const { data, info } = await sharp(bytes).greyscale().raw().toBuffer({ resolveWithObject: true });
        let sum = 0;
        for (let i = 1; i < data.length; i++) if (i % info.width !== 0) sum += Math.abs(data[i]! - data[i - 1]!);
        return sum / data.length;
      };
      const [after, original] = [await sharpness(blurred.rawPayload), await sharpness(png)];
      assert.ok(after < original / 4, `edge energy ${after} against ${original}`);
      // A replay (same Idempotency-Key and body) repeats the header: the bytes it returns are the blurred ones.
      const again = () =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/image/edit',
          headers: { ...t.auth, 'idempotency-key': 'blurred-once' },
          payload: { model: 'tiers-edit', prompt: 'x', image: b64(png) },
        });
      const first = await again();
      const replay = await again();
      assert.equal(t.classifier.seen, seen + 2, 'the replay ran nothing');
      assert.deepEqual([first.headers['x-venice-is-blurred'], replay.headers['x-venice-is-blurred']], ['true', 'true']);
      assert.deepEqual(replay.rawPayload, first.rawPayload);
      const off = await post('/api/v1/image/edit', { model: 'tiers-edit', prompt: 'x', image: b64(png), safe_mode: false });
      assert.equal(off.headers['x-venice-is-blurred'], 'false');
      assert.equal(t.classifier.seen, seen + 2);
    } finally {
      t.classifier.flag = false;
    }
  });

  test('a model no backend serves: 404 at once naming the models online, without Retry-After, not charged', async () => {
    t.engine.unserved = true;
    try {
      const before = await balance();
      const res = await post('/api/v1/image/edit', { model: 'tiers-edit', prompt: 'x', image: b64(png) });
      assert.equal(res.statusCode, 404);
      assert.equal(res.headers['retry-after'], undefined);
      assert.match(res.json().error, /not served by this server.*Models online/);
      assert.equal(await balance(), before);
    } finally {
      t.engine.unserved = false;
    }
  });
});
